"""State that outlives a request (classes, their drawings and questions, training runs) and the events that tell
every worker about it, behind one small interface with two backends chosen at start-up: an embedded SQLite file
shared by the worker processes of one machine (the default), or Redis for several machines (`cnnviz serve --redis
URL`).
Request handlers never know which one runs. `cnnviz serve` keeps the embedded file in the user's data folder, so
that a class outlives a restart (storefile.py); the app alone (tests, `flask run`) uses a temporary one.

The interface (both backends; `now` is time.time() seconds, JSON values are str):
  classes   create_class(code, token_hash, state, address, now, limits) -> None, or raises Refused
            get_class(code, now) -> ClassRecord | None (None: unknown, ended or expired)
            update_class(code, state, now) -> seq | None;  end_class(code) -> bool
            expired_classes(now) -> [code] (for the sweeper, which ends them; the embedded store deletes
                what outlived its lifetime then: classes ended an hour ago, lapsed records and presence)
            add_drawing(code, drawing, sender, limit, each) -> id | None (None: no such class), raises Refused
              past limit drawings in the class or each from one sender (a count kept per sender, not parsed)
            drawings(code) -> [JSON]
  questions ask(code, question, choices, limit) -> id (1, 2, ... in the class) | None (no such class), raises
              Refused past limit questions;  question(code, id=None) -> (id, JSON, revealed) | None (None: the latest)
            answer(code, id, client, choice, address, each) -> ANSWERED (the client's answer, replacing its
              earlier one), REVEALED, NO_QUESTION (none in an open class) or NO_CHOICE (choice not below the
              question's choices), in one call, as a class's 300 answers come at once; raises Refused past `each`
              clients from one address;  tally(code, id) -> {choice: count};  reveal(code, id) -> tally | None (no
              such question), after which no answer changes it. A class's questions go with it.
  runs      claim(key, value, seconds) -> bool (set if absent), get(key), put(key, value, seconds), drop(key)
            append(key, value, seconds) -> length;  items(key, start) -> [JSON]
  presence  set_presence(topic, worker, counts, now);  presence(topic, now, alive) -> {name: total over the
            workers that refreshed theirs lately and that alive(worker) does not know to be gone}
  events    publish(topic, event, data);  listen(deliver, ready) blocks, calling ready() once it receives every
            event published anywhere from then on, and deliver(topic, event, data) for each;  close()
  health    ping() -> None, or raises Unreachable
Any call may raise Unreachable when the store does not answer (Redis down or cut off), within a few seconds.
"""

import time
from dataclasses import dataclass

ANSWERED, REVEALED, NO_QUESTION, NO_CHOICE = "answered", "revealed", "no question", "no choice"   # answer()'s
CLASS_HOURS = 12.0               # a class ends after this long without a change
PRESENCE_SECONDS = 30.0          # a worker's presence counts lapse unless refreshed within this (a crashed worker)


@dataclass(frozen=True)
class Limits:
    """How many classes the server takes, so that anyone may start one (a study group too) but not thousands."""
    per_address_hour: int = 20    # classes started per client address per hour
    at_once: int = 200            # classes open at the same time
    class_hours: float = CLASS_HOURS


@dataclass(frozen=True)
class ClassRecord:
    code: str
    token_hash: str
    state: str          # JSON, as the teacher last sent it
    seq: int            # 1 for the first state, +1 per change
    changed: float      # time of the last change
    address: str        # the client address that started it (who may train: access.py)


class Refused(Exception):
    """A limit was reached: carries the message for the 429."""


def drawings_refused(limit):
    return f"this class has received {limit} drawings, the most it keeps"


def sender_refused(each):
    return f"you have sent this class {each} drawings, the most one device may"


def questions_refused(limit):
    return f"this class has been asked {limit} questions, the most it keeps"


def answers_refused(each):
    return f"{each} devices at your address have answered this question, the most one address may"


class Unreachable(Exception):
    """The store did not answer in time (Redis stopped, restarting or cut off): carries the message for the 503,
    which names no address; the cause (redis-py's error, with the address) is chained for the log."""


class Unusable(Exception):
    """The store cannot be opened: carries the message, which names the file or URL and what is wrong with it."""


def open_store(url, limits=Limits(), clock=time.time, warm=0):
    """A store for url: 'sqlite:///path/to/file' (embedded) or 'redis://host:port/db', with its .url (another
    process, the training runner, opens the same). clock: the embedded store's time for the records' and logs'
    lifetimes (Redis keeps its own). warm: Redis connections to open at once (a web worker's)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redisstore import RedisStore
        store = RedisStore(url, limits, warm)
    elif url.startswith("sqlite:///"):
        from .embedded import EmbeddedStore
        store = EmbeddedStore(url.removeprefix("sqlite:///"), limits, clock)
    else:
        raise ValueError(f"unknown store URL {url!r}: expected sqlite:///path or redis://host:port/db")
    store.url = url
    return store


def temporary_store():
    """The URL of an embedded store in a new temporary folder, removed when this process exits."""
    import atexit
    import os
    import shutil
    import tempfile
    folder, owner = tempfile.mkdtemp(prefix="cnnviz-"), os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))  # not a fork's exit
    return f"sqlite:///{os.path.join(folder, 'store.sqlite3')}"
