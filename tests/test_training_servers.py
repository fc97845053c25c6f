"""Training on the real servers: a run started on one `cnnviz serve` instance is watched, paused, stepped and
stopped through another sharing one redis-server (its id works from every worker and instance), and traces keep
answering meanwhile. Uses the real MNIST, as `cnnviz serve` does."""

import sys
import time

from .conftest import free_port, started, stop
from .eventstream import EventStream
from .test_classes_servers import call


def test_a_run_started_on_one_instance_is_driven_and_watched_from_another(redis_url):
    ports = [free_port(), free_port()]
    servers = [started([sys.executable, "-m", "cnnviz", "serve", "--port", str(p), "--redis", redis_url], p)
               for p in ports]
    a, b = (f"http://127.0.0.1:{p}" for p in ports)
    try:
        status, run = call("POST", f"{a}/api/training", {"epochs": 3, "batch_size": 64, "seed": 1})
        assert status == 201
        events = EventStream(f"{b}/api/training/{run['id']}/events", timeout=30)
        assert events.headers["Content-Type"].startswith("text/event-stream")
        assert events.next()[0] == "history"
        assert events.until("message", lambda d: d["step"] > 0, seconds=30)["status"] == "running"
        assert call("POST", f"{b}/api/training", {"epochs": 1})[0] == 409             # one at a time, everywhere
        assert call("POST", f"{b}/api/training/{run['id']}", {"action": "pause"})[0] == 202
        paused = events.until("message", lambda d: d["status"] == "paused")["step"]
        assert call("POST", f"{a}/api/training/{run['id']}", {"action": "step"})[0] == 202
        assert events.until("message", lambda d: d["step"] == paused + 1)["status"] == "paused"
        t = time.monotonic()
        assert call("POST", f"{b}/api/predict?weights={run['id']}", {"pixels": [[0.5] * 28] * 28})[0] == 200
        assert time.monotonic() - t < 2
        assert call("DELETE", f"{b}/api/training/{run['id']}")[0] == 204
        last = events.until("message", lambda d: d.get("done"))
        assert last["reason"] == "stopped" and last["step"] == paused + 1 and len(last["confusion"]) == 10
        events.close()
        assert call("GET", f"{a}/api/training/{run['id']}")[1]["status"] == "stopped"
    finally:
        for s in servers:
            stop(s)
