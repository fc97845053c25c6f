"""A small MNIST for training tests: the first images of the real one written as the four IDX files, so that a run
loads in milliseconds and an epoch takes a few steps; and helpers to drive runs through the test client."""

import json
import time

import numpy as np

from cnnviz.app.training import keys
from cnnviz.cnn import config as C
from cnnviz.cnn import mnist

TRAIN, TEST = 1280, 500        # images: 20 steps per epoch at batch 64


def idx(array, magic):
    dims = b"".join(d.to_bytes(4, "big") for d in array.shape)
    return magic.to_bytes(4, "big") + dims + array.astype(np.uint8).tobytes()


def write_small_mnist(folder):
    """The first TRAIN training and TEST test images and labels of MNIST as IDX files in folder."""
    for split, prefix, n in (("train", "train", TRAIN), ("test", "t10k", TEST)):
        images, labels = mnist.load(mnist.DEFAULT_DIR, split)
        pixels = np.rint(images[:n] * C.BYTE_MAX)
        for kind, array in (("images-idx3-ubyte", pixels), ("labels-idx1-ubyte", labels[:n])):
            name = f"{prefix}-{kind}"
            (folder / name).write_bytes(idx(array, mnist.FILES[name][0]))
    return folder


def store(app):
    return app.extensions["cnnviz"].store


def latest(app, run_id):
    """The run's newest progress event as the streams send it."""
    return json.loads(store(app).get(keys.latest(run_id)))


def status(app, run_id):
    return json.loads(store(app).get(keys.meta(run_id)))["status"]


def wait(predicate, seconds=20, what="the run"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError(f"{what} did not get there within {seconds} s")


def wait_for(app, run_id, wanted, seconds=20):
    """Wait until the run's status is in wanted and its newest event says so."""
    wait(lambda: status(app, run_id) in wanted and latest(app, run_id)["status"] in wanted, seconds,
         f"{run_id} ({'/'.join(wanted)})")


def steps_by_hand(client, app, run_id, n):
    """Take n steps one at a time (the run paused) and return the weights after them."""
    for i in range(n):
        assert client.post(f"/api/training/{run_id}", json={"action": "step"}).status_code == 202
        wait(lambda i=i: latest(app, run_id)["step"] == i + 1, what=f"step {i + 1}")
    return latest(app, run_id)["weights"]


def sse_events(response):
    """(event, data) pairs from a text/event-stream body read to its end."""
    out, event = [], "message"
    for line in response.get_data(as_text=True).splitlines():
        if line.startswith("event: "):
            event = line[len("event: "):]
        elif line.startswith("data: "):
            out.append((event, json.loads(line[len("data: "):])))
            event = "message"
    return out
