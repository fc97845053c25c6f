"""The embedded store's file for `cnnviz serve`: where it lives (the user's data folder, so that a class outlives
a restart), checked before the workers fork, and set aside when it is damaged or from another schema version.

Servers that share a file share its classes (as servers sharing Redis do). Each holds a shared lock on
<file>.lock for its life; only a server that holds it alone may set the file aside or forget the presence counts
a stopped server left, and one that finds a bad file another server uses stops with a message instead."""

import os
import sqlite3
import time
from pathlib import Path

from platformdirs import user_data_path

from . import Unusable
from .embedded import ready, schema_problem

DEFAULT_PATH = user_data_path("cnnviz") / "classes.sqlite"   # beside cnn.mnist's folder, e.g. ~/.local/share/cnnviz
COMPANIONS = ("", "-wal", "-shm", "-journal")                 # SQLite's files for one database
HELD = []       # the lock files this process holds: open until it exits (gunicorn's workers inherit them)

try:
    import fcntl
except ImportError:     # Windows: no flock, but there SQLite's open file cannot be renamed under another server
    fcntl = None


def prepare(path=DEFAULT_PATH):
    """The store URL for path, after making its folder, taking its lock and setting aside a file it cannot use;
    returns (url, note): note is a one-line message when a file was set aside, else None. Raises Unusable."""
    path = Path(path).expanduser().absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(f"{path}.lock", "a")
    except OSError as e:
        raise Unusable(f"cannot keep classes in {path}: {e.strerror or e}") from None
    HELD.append(lock)
    alone = hold(lock)
    why, note = problem(path), None
    if why and alone is False:
        raise Unusable(f"{path} {why}; another cnnviz server uses it, so it stays where it is: stop that server "
                       "first, or choose another file with --store PATH")
    if why:
        note = f"{path} {why}: moved it to {set_aside(path, why)} and started a new store"
    made(path, forget=alone is True)
    if alone:
        fcntl.flock(lock, fcntl.LOCK_SH)       # others may start now: they will find a good file
    return f"sqlite:///{path}", note


def hold(lock):
    """Lock the file: True if exclusively (no other server uses the store), False if shared, None on Windows."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        fcntl.flock(lock, fcntl.LOCK_SH)       # waits while another server checks the file
        return False


def problem(path):
    """Why the file at path cannot hold this version's store (damaged, another version), or None; raises
    Unusable if it cannot be opened at all (permissions, a folder)."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error as e:
        raise Unusable(f"cannot open {path}: {e}") from None
    try:
        checked = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        return f"is damaged ({checked[0]})" if checked != ["ok"] else schema_problem(conn)
    except sqlite3.OperationalError as e:          # locked, read-only, unreadable: not the file's fault
        raise Unusable(f"cannot read {path}: {e}") from None
    except sqlite3.DatabaseError as e:             # not a database, malformed
        return f"is damaged ({e})"
    finally:
        conn.close()


def set_aside(path, why):
    """Rename the file (and SQLite's companions of it) with a suffix that says why and when; the new name."""
    kind = "damaged" if why.startswith("is damaged") else "other-version"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    n, target = 1, path.with_name(f"{path.name}.{kind}-{stamp}")
    while any(Path(f"{target}{c}").exists() for c in COMPANIONS):
        n += 1
        target = path.with_name(f"{path.name}.{kind}-{stamp}-{n}")
    try:
        for c in COMPANIONS:
            if Path(f"{path}{c}").exists():
                os.replace(f"{path}{c}", f"{target}{c}")
    except OSError as e:
        raise Unusable(f"{path} {why}, and it cannot be set aside ({e.strerror or e}): move it away, "
                       "or choose another file with --store PATH") from None
    return target


def made(path, forget):
    """Make the file this version's store now, before the workers fork (closed again: no connection may cross a
    fork); forget drops the presence counts a stopped server left (its followers reconnect and count again)."""
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        ready(conn, path)
        if forget:
            conn.execute("DELETE FROM presence")
    except sqlite3.Error as e:
        raise Unusable(f"cannot make {path} into cnnviz's store: {e}") from None
    finally:
        conn.close()
