"""Starting the runner: a process of its own (a crash or a long epoch never blocks a web worker), one BLAS thread
(the other core keeps serving), below the web workers' priority."""

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from . import keys
from .runner import failed

log = logging.getLogger("cnnviz.training")

ROOT = Path(__file__).resolve().parents[2]        # the folder that holds the app package (a checkout, site-packages)
BELOW_NORMAL = 0x00004000                           # Windows' BELOW_NORMAL_PRIORITY_CLASS
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def launch(store, store_url, run_id, data_dir):
    """Start `python -m cnnviz.app.training.runner` for run_id; reaped by a thread when it ends. Returns the Popen."""
    env = {**os.environ, **ONE_THREAD, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    command = [sys.executable, "-m", "cnnviz.app.training.runner", "--store", store_url, "--id", run_id,
               "--data", str(data_dir)]
    flags = BELOW_NORMAL if os.name == "nt" else 0
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, creationflags=flags)
    threading.Thread(target=reap, args=(proc, store, run_id), daemon=True, name=f"cnnviz-{run_id}").start()
    return proc


def reap(proc, store, run_id):
    """Wait for the runner; one that died without finishing its run (killed, out of memory) is reported failed,
    its claim freed, and the reason logged."""
    code = proc.wait()
    try:
        status = json.loads(store.get(keys.meta(run_id)) or "{}").get("status")
        if status in keys.FINISHED:
            return
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
        log.warning("cnnviz: the training process of %s %s before the run finished", run_id, how)
        failed(store, run_id, f"the training process {how}")
    except Exception:
        log.exception("cnnviz: could not report the end of training %s", run_id)
