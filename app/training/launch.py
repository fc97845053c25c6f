"""Starting the runner: a process of its own (a crash or a long epoch never blocks a web worker), one BLAS thread
(the other core keeps serving), below the web workers' priority."""

import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]        # the folder that holds the app package (a checkout, site-packages)
BELOW_NORMAL = 0x00004000                           # Windows' BELOW_NORMAL_PRIORITY_CLASS
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def launch(store_url, run_id, data_dir):
    """Start `python -m app.training.runner` for run_id; reaped by a thread when it ends. Returns the Popen."""
    env = {**os.environ, **ONE_THREAD, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    command = [sys.executable, "-m", "app.training.runner", "--store", store_url, "--id", run_id,
               "--data", str(data_dir)]
    flags = BELOW_NORMAL if os.name == "nt" else 0
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, creationflags=flags)
    threading.Thread(target=proc.wait, daemon=True, name=f"cnnviz-{run_id}").start()
    return proc
