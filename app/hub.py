"""Fan-out inside one worker process: each open event stream (a class's follower or explorer, a training's
watcher) is a Stream on a topic; one listener per process hands it every event the store delivers, and the
streams this worker holds are counted into the store's presence totals, which go out as `counts` events.

When the store stops answering (the listener's connection lost, or housekeeping's writes and pings failing),
every stream gets `store` {"ok": false}, once; when both answer again, `store` {"ok": true} and then, per topic,
what catch_up(topic) reads from the store (a class's current state), so that a change made while events could
not flow is not missed. A worker of this server whose process is gone (killed) stops counting at once."""

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter, deque

from .lan import is_loopback
from .store import Refused, Unreachable

log = logging.getLogger("cnnviz.hub")
LISTEN_RETRY_SECONDS = 1.0   # a lost store connection (Redis restarting) is retried this often
LISTEN_READY_SECONDS = 5.0   # the longest a first stream waits for the listener to be ready (a store that is down)
PING_SECONDS = 2.0           # housekeeping asks the store this often whether it answers, so streams hear it stopped
FLUSH_SECONDS = 0.2          # presence changes are written and announced at most this often per worker
REFRESH_SECONDS = 10.0       # presence is re-written this often, so it lapses only for a dead worker
MAX_PENDING = 32             # past this many unsent events (a slow client), older states merge into the latest
MERGED = ("state", "progress")   # the events that may merge: each carries everything its client needs to show
STREAMS_PER_ADDRESS = 16     # open streams one client address may hold in a worker (a page needs one or two);
                             # loopback is not limited (this machine, or everyone behind a proxy)
DOWN, UP = json.dumps({"ok": False}), json.dumps({"ok": True})    # the `store` event's data


def describe(e):
    """An error for the log: the store's own error's cause (redis-py's, with the address) if it has one."""
    cause = e.__cause__ if isinstance(e, Unreachable) and e.__cause__ else e
    return f"{type(cause).__name__}: {cause}"


class Stream:
    """One client's queue of events: (event, data) pairs, states merged only when the client falls behind."""

    def __init__(self, topic, kind, address):
        self.topic, self.kind, self.address = topic, kind, address
        self.pending = deque()
        self.ready = threading.Condition()

    def put(self, event, data):
        with self.ready:
            if len(self.pending) >= MAX_PENDING and event in MERGED:
                self.pending = deque(e for e in self.pending if e[0] != event)
            self.pending.append((event, data))
            self.ready.notify()

    def get(self, timeout):
        """The next (event, data), or None after timeout seconds without one."""
        with self.ready:
            if not self.pending:
                self.ready.wait(timeout)
            return self.pending.popleft() if self.pending else None


class Hub:
    """This process's open streams by topic, fed by the store's events; periodic jobs run beside them."""

    def __init__(self, store, jobs=(), clock=time.time, server=None, catch_up=lambda topic: ()):
        self.store, self.clock = store, clock   # clock: the store's time (the app's CLOCK), seconds
        self.catch_up = catch_up                # topic -> [(event, data)] to deliver when the store is back
        # host:server:pid:random. server: the same in every worker of one `cnnviz serve` (one gunicorn master,
        # so one process namespace), whose process ids alone this worker may check
        self.server = server or uuid.uuid4().hex[:8]
        self.worker = f"{socket.gethostname()}:{self.server}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.streams = {}                # topic -> set of Stream
        self.by_address = Counter()      # client address -> its open streams here
        self.dirty = set()               # topics whose local counts changed since the last flush
        self.last_counts = {}            # topic -> the last counts announced (by any worker), topics with streams
        self.jobs = list(jobs)           # (seconds, fn(now)) run every so often, e.g. ending expired classes
        self.lock = threading.Lock()
        self.started = False
        self.listening = threading.Event()    # set once the listener receives every event published from then on
        self.stopped = threading.Event()      # set by stop(): the housekeeping loop ends
        self.down = set()                     # what found the store not answering: "events", "writes"

    def open(self, topic, kind=None, address=""):
        """A new stream on topic for a client address; kind (e.g. "following") is what it counts as in the presence
        totals. Refused past STREAMS_PER_ADDRESS for that address."""
        self.start()
        stream = Stream(topic, kind, address)
        with self.lock:
            if not is_loopback(address) and self.by_address[address] >= STREAMS_PER_ADDRESS:
                raise Refused(f"{STREAMS_PER_ADDRESS} event streams are open from your address: close some pages")
            self.by_address[address] += 1
            self.streams.setdefault(topic, set()).add(stream)
            if kind:
                self.dirty.add(topic)
            if self.down:
                stream.put("store", DOWN)
        return stream

    def close(self, stream):
        """Forget a stream (once; closing it again does nothing)."""
        with self.lock:
            group = self.streams.get(stream.topic, set())
            if stream not in group:
                return
            group.discard(stream)
            self.by_address[stream.address] -= 1
            if not self.by_address[stream.address]:
                del self.by_address[stream.address]
            if not group:
                self.streams.pop(stream.topic, None)
            if stream.kind:
                self.dirty.add(stream.topic)

    def stop(self):
        """End the housekeeping loop (the listener ends as the store closes)."""
        self.stopped.set()

    def counts(self, topic):
        """The presence totals of topic over every worker."""
        return self.store.presence(topic, self.clock(), self.alive)

    def alive(self, worker):
        """False for a worker of this server whose process is gone (kill -9; gunicorn starts another), so that
        its streams, which reconnect elsewhere, are not counted twice until its presence lapses."""
        host, server, pid, _ = (worker.split(":") + ["", "", "", ""])[:4]
        if server != self.server or not pid.isdigit() or int(pid) == os.getpid() or os.name == "nt":
            return True
        try:
            os.kill(int(pid), 0)           # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except OSError:                    # exists, someone else's
            pass
        return True

    def trouble(self, part, e):
        """The store did not answer part ("events": the listener; "writes": housekeeping): logged once, and
        every stream hears it once."""
        with self.lock:
            first, new = not self.down, part not in self.down
            self.down.add(part)
        if new:
            what = "the store's events stopped" if part == "events" else "the store does not answer"
            log.warning("cnnviz: %s (%s); trying again", what, describe(e))
        if first:
            self.tell_all("store", DOWN)

    def answered(self, part):
        """The store answers part again; once both do, streams hear it and catch up."""
        with self.lock:
            if part not in self.down:
                return
            self.down.discard(part)
            back, topics = not self.down, list(self.streams)
        log.warning("cnnviz: %s", "the store's events flow again" if part == "events" else "the store answers again")
        if not back:
            return
        self.tell_all("store", UP)
        try:
            for topic in topics:
                for event, data in self.catch_up(topic):
                    self.deliver(topic, event, data)
        except Exception as e:                     # gone again: the next recovery catches up
            self.trouble("writes", e)

    def tell_all(self, event, data):
        """An event of this worker's own (not the store's) to every stream it holds."""
        with self.lock:
            streams = [s for group in self.streams.values() for s in group]
        for stream in streams:
            stream.put(event, data)

    def local_counts(self, topic):
        counts = {}
        for s in self.streams.get(topic, ()):
            if s.kind:
                counts[s.kind] = counts.get(s.kind, 0) + 1
        return counts

    def deliver(self, topic, event, data):
        with self.lock:
            group = list(self.streams.get(topic, ()))
            if event == "counts" and group:       # kept only for topics with streams here: bounded by them
                self.last_counts[topic] = data
        for stream in group:
            stream.put(event, data)

    def start(self):
        """Start the listener and the housekeeping loop, once, on first use (after gunicorn's fork)."""
        with self.lock:
            first, self.started = not self.started, True
        if first:
            threading.Thread(target=self.listen, daemon=True, name="cnnviz-listen").start()
            threading.Thread(target=self.housekeeping, daemon=True, name="cnnviz-housekeeping").start()
        # A stream's first state is read after this: an event published meanwhile must reach it.
        self.listening.wait(LISTEN_READY_SECONDS)

    def listen(self):
        def ready():
            self.listening.set()
            self.answered("events")

        while True:
            try:
                self.store.listen(self.deliver, ready)
                return                                  # the store was closed
            except Exception as e:                      # a lost connection: streams wait, then catch up
                self.trouble("events", e)
                time.sleep(LISTEN_RETRY_SECONDS)

    def housekeeping(self):
        """Write and announce presence changes; refresh presence; run the periodic jobs; ask whether the store
        answers."""
        refreshed, last_run, pinged = 0.0, {}, 0.0
        while not self.stopped.wait(FLUSH_SECONDS):
            now = self.clock()
            with self.lock:
                topics, self.dirty = self.dirty, set()
                if now - refreshed > REFRESH_SECONDS:
                    topics |= set(self.streams)
                    refreshed = now
                mine = {t: self.local_counts(t) for t in topics}
            try:
                if time.monotonic() - pinged >= PING_SECONDS:
                    self.store.ping()
                    pinged = time.monotonic()
                for topic, counts in mine.items():
                    self.store.set_presence(topic, self.worker, counts, now)
                    totals = json.dumps(self.store.presence(topic, now, self.alive), sort_keys=True)
                    if totals != self.last_counts.get(topic):
                        self.last_counts[topic] = totals
                        self.store.publish(topic, "counts", totals)
                    if topic not in self.streams:             # its last stream here closed: nothing to compare
                        self.last_counts.pop(topic, None)
                for i, (every, job) in enumerate(self.jobs):
                    if now - last_run.get(i, 0) >= every:
                        last_run[i] = now
                        job(now)
            except Exception as e:     # the store unreachable for a moment: try again on the next round
                pinged = 0.0
                with self.lock:
                    self.dirty |= set(mine)
                self.trouble("writes", e)
            else:
                self.answered("writes")
