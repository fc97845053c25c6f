"""The training process: `python -m cnnviz.app.training.runner --store URL --id RUN [--data DIR]`. It reads the run's
parameters from the store, trains one Adam step at a time at lower priority, reads controls between batches,
publishes progress and keeps the newest weights, and stops when finished, told to, or nobody watched for a while."""

import argparse
import json
import os
import sys
import time

import numpy as np

from ...cnn import mnist
from ...cnn.evaluate import accuracy
from ...cnn.train import Training

from ..store import open_store
from . import keys, params, progress

EVENT_SECONDS = 0.2         # progress this often while running (0.5 s at most asked: a margin for a busy CPU)
POLL_SECONDS = 0.05         # controls are read this often while paused, and between batches while running
HEARTBEAT_SECONDS = 1.0     # the claim and the presence check, this often
IDLE_SECONDS = 60.0         # nobody watching this long (no open event stream anywhere) stops the run
NICE = 5                    # POSIX niceness added: the web workers (0) come first; 10 starved it on a busy machine


class Scaled:
    """MNIST's uint8 images, each batch scaled to [0, 1] float32 when taken, as mnist.load scales them all (the
    same bits): 47 MB instead of 188 MB, and no second spent converting 60,000 images before the first step."""

    def __init__(self, images):
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        return mnist.scale(self.images[idx])


def load_bytes(data_dir, split):
    """(Scaled images, labels int64) of a split, as mnist.load reads it."""
    images, labels = mnist.load_bytes(data_dir, split)
    return Scaled(images), labels


def lower_priority():
    """Below the web workers, where the platform has priorities (POSIX nice; Windows sets it at launch)."""
    if hasattr(os, "nice"):
        try:
            os.nice(NICE)
        except OSError:
            pass


class Runner:
    """One run: the store, the training, its state (running or paused) and what it last reported."""

    def __init__(self, store, run_id, data_dir):
        self.store, self.id = store, run_id
        self.meta = json.loads(store.get(keys.meta(run_id)))
        chosen = self.meta["params"]
        self.recipe = params.recipe(chosen)
        pixels = self.meta.get("pixels")
        self.digit = None if pixels is None else np.array(pixels, np.float32)
        self.seq = len(store.items(keys.history(run_id)))      # the API sent the untrained weights as event 1
        self.controls_read = 0
        self.paused = False                                    # a pause asked before the start is in the controls
        self.train = Training(*load_bytes(data_dir, "train"), self.recipe)
        self.test_images, self.test_labels = mnist.load(data_dir, "test")
        self.held_out_at = progress.held_out_steps(self.train.steps_per_epoch)
        self.last = None                                       # the last Step
        self.window = [0.0, 0, 0]                              # loss sum, right, images since the last report
        self.watched = self.beat = time.monotonic()

    def status(self, status, **more):
        self.meta.update(status=status, **more)
        self.store.put(keys.meta(self.id), json.dumps(self.meta), keys.KEEP_SECONDS)

    def report(self, extra=None, end=False):
        """Publish a progress event (the last of the run when end), keep it as the latest and in the history."""
        s = self.last
        if s is None:
            pt = progress.start_point(self.train.steps_per_epoch, self.train.total_steps)
        else:
            pt = progress.point(s.step, s.epoch, s.steps_per_epoch, s.total_steps, s.epoch_loss, s.correct / s.seen,
                                s.lr)
            loss_sum, right, seen = self.window
            if seen:
                pt.update(recent_loss=loss_sum / seen, recent_accuracy=right / seen)
            self.window = [0.0, 0, 0]
        self.seq += 1
        evt = progress.event(self.seq, self.meta["status"], self.train.model, self.digit, pt, extra)
        text = json.dumps(evt, separators=(",", ":"))
        self.store.put(keys.latest(self.id), text, keys.KEEP_SECONDS)
        self.store.append(keys.history(self.id), json.dumps(progress.curve_point(evt)), keys.KEEP_SECONDS)
        self.store.publish(keys.topic(self.id), "end" if end else "progress", text)
        self.reported = time.monotonic()

    def controls(self):
        """The actions appended since the last look, oldest first."""
        new = self.store.items(keys.controls(self.id), self.controls_read)
        self.controls_read += len(new)
        return [json.loads(a)["action"] for a in new]

    def heartbeat(self):
        """Keep the claim while it is this run's; False once nobody has watched for IDLE_SECONDS."""
        now = time.monotonic()
        if now - self.beat < HEARTBEAT_SECONDS:
            return True
        self.beat = now
        if self.store.get(keys.CURRENT) == self.id:
            self.store.put(keys.CURRENT, self.id, keys.CLAIM_SECONDS)
        if self.store.presence(keys.topic(self.id), time.time()).get(keys.WATCHING, 0):
            self.watched = now
        return now - self.watched < IDLE_SECONDS

    def step(self):
        """One Adam step; the held-out accuracy when its turn comes; False when the run is complete."""
        try:
            self.last = next(self.train)
        except StopIteration:
            return False
        s = self.last
        self.window = [self.window[0] + s.loss * s.batch_size, self.window[1] + s.batch_correct,
                       self.window[2] + s.batch_size]
        within = (self.last.step - 1) % self.last.steps_per_epoch + 1
        if within in self.held_out_at:
            acc = accuracy(self.train.model, self.test_images[:progress.HELD_OUT],
                           self.test_labels[:progress.HELD_OUT])
            self.report({"held_out": acc})
        return self.last.step < self.train.total_steps

    def run(self):
        """Train until complete, stopped or unwatched; then the final event with the test accuracy."""
        self.status("paused" if self.paused else "running")
        self.report()
        while True:
            for action in self.controls():
                if action == "stop":
                    return self.finish("stopped")
                self.paused = action != "resume"                 # pause, or one step by hand (which pauses)
                self.status("paused" if self.paused else "running")
                if action == "step" and not self.step():
                    return self.finish("complete")
                self.report()
            if not self.heartbeat():
                return self.finish("nobody watched")
            if self.paused:
                time.sleep(POLL_SECONDS)
                continue
            until = time.monotonic() + POLL_SECONDS             # then look at the controls again
            while time.monotonic() < min(until, self.reported + EVENT_SECONDS):
                if not self.step():
                    return self.finish("complete")
            if time.monotonic() - self.reported >= EVENT_SECONDS:
                self.report()

    def finish(self, reason):
        matrix, acc = progress.confusion(self.train.model, self.test_images, self.test_labels)
        self.status("complete" if reason == "complete" else "stopped", reason=reason)
        free(self.store, self.id)              # before the end is heard: a page may start the next run at once
        self.report({"done": True, "reason": reason, "test_accuracy": acc, "confusion": matrix}, end=True)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m cnnviz.app.training.runner", description=__doc__)
    p.add_argument("--store", required=True, help="the store's URL (sqlite:///... or redis://...)")
    p.add_argument("--id", required=True, help="the run's id")
    p.add_argument("--data", default=mnist.DEFAULT_DIR, help="MNIST's folder")
    args = p.parse_args(argv)
    store = open_store(args.store)
    try:
        runner = Runner(store, args.id, args.data)
        lower_priority()                  # after loading MNIST (a second's burst): the first steps come sooner
        runner.run()
    except KeyboardInterrupt:
        pass
    except Exception as e:                                      # tell the page, free the claim, then fail loudly
        failed(store, args.id, str(e))
        raise
    finally:
        free(store, args.id)
        store.close()


def failed(store, run_id, reason):
    """Report a run that could not finish: its status, a final event with the reason (a page connecting later
    hears it too), its claim freed before that event goes out, so a new training can start at once."""
    meta = json.loads(store.get(keys.meta(run_id)) or "{}")
    meta.update(status="failed", reason=reason)
    store.put(keys.meta(run_id), json.dumps(meta), keys.KEEP_SECONDS)
    seq = len(store.items(keys.history(run_id))) + 1
    text = json.dumps({"seq": seq, "done": True, "status": "failed", "error": reason})
    store.put(keys.latest(run_id), text, keys.KEEP_SECONDS)
    free(store, run_id)
    store.publish(keys.topic(run_id), "end", text)


def free(store, run_id):
    """Give up the one-training-at-a-time claim, if this run holds it."""
    if store.get(keys.CURRENT) == run_id:
        store.drop(keys.CURRENT)


if __name__ == "__main__":
    sys.exit(main())
