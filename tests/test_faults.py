"""Faults with real processes: what a teacher sees when part of cnnviz dies mid-lesson."""

import os
import signal
import subprocess
import sys

from .conftest import free_port, started, stop
from .eventstream import EventStream
from .test_classes_servers import call


def runner_pid(run_id):
    """The process id of the training runner of run_id."""
    out = subprocess.run(["pgrep", "-f", f"app.training.runner .*--id {run_id}"], capture_output=True, text=True)
    return int(out.stdout.split()[0])


def test_a_killed_training_runner_is_reported_failed_and_a_new_one_can_start(tmp_path):
    port, log_file = free_port(), tmp_path / "server.log"
    log = log_file.open("w")
    base = f"http://127.0.0.1:{port}"
    server = started([sys.executable, "-m", "app", "serve", "--port", str(port), "--store",
                      str(tmp_path / "store.sqlite3")], port, stderr=log)
    try:
        status, run = call("POST", f"{base}/api/training", {"epochs": 3})
        assert status == 201
        events = EventStream(f"{base}/api/training/{run['id']}/events", timeout=30)
        events.until("message", lambda d: d["step"] > 0, seconds=30)
        os.kill(runner_pid(run["id"]), signal.SIGKILL)
        end = events.until("message", lambda d: d.get("done"), seconds=10)
        assert end["status"] == "failed" and "killed by SIGKILL" in end["error"]
        assert call("GET", f"{base}/api/training/{run['id']}")[1]["status"] == "failed"
        status, again = call("POST", f"{base}/api/training", {"epochs": 1})           # at once: never a 409
        assert status == 201
        assert call("DELETE", f"{base}/api/training/{again['id']}")[0] == 204
        events.close()
    finally:
        stop(server)
        log.close()
    assert f"the training process of {run['id']} killed by SIGKILL" in log_file.read_text()
