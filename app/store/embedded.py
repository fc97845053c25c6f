"""The embedded store: one SQLite file shared by the worker processes of one machine. Events are rows that
every worker's listener reads by polling (a few cheap queries a second), so no extra service is needed."""

import json
import sqlite3
import threading
import time
from contextlib import contextmanager

from . import (ANSWERED, NO_CHOICE, NO_QUESTION, PRESENCE_SECONDS, REVEALED, ClassRecord, Refused, Unusable,
               answers_refused, drawings_refused, questions_refused, sender_refused)

POLL_SECONDS = 0.04       # how often a listener looks for new events: well inside a 250 ms delivery budget
EVENT_SECONDS = 120       # events older than this are deleted: a listener reads them within POLL_SECONDS
ENDED_SECONDS = 3600      # ended classes stay this long, to count the classes an address started this hour
SCHEMA_VERSION = 3        # PRAGMA user_version of a file TABLES made: add one with any change to TABLES
UPGRADED = (1, 2)         # older versions whose files TABLES brings up to this one (each added tables only)
TABLES = (
    """CREATE TABLE IF NOT EXISTS classes (code TEXT PRIMARY KEY, token_hash TEXT, state TEXT, seq INTEGER,
       created REAL, changed REAL, address TEXT, ended INTEGER DEFAULT 0)""",
    "CREATE TABLE IF NOT EXISTS drawings (code TEXT, id INTEGER, data TEXT, PRIMARY KEY (code, id))",
    "CREATE TABLE IF NOT EXISTS senders (code TEXT, sender TEXT, n INTEGER, PRIMARY KEY (code, sender))",
    "CREATE TABLE IF NOT EXISTS presence (topic TEXT, worker TEXT, counts TEXT, seen REAL, "
    "PRIMARY KEY (topic, worker))",
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT, event TEXT, data TEXT, "
    "at REAL)",
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT, expires REAL)",
    "CREATE TABLE IF NOT EXISTS items (key TEXT, idx INTEGER, value TEXT, expires REAL, PRIMARY KEY (key, idx))",
    "CREATE TABLE IF NOT EXISTS questions (code TEXT, id INTEGER, data TEXT, choices INTEGER, revealed INTEGER, "
    "PRIMARY KEY (code, id))",
    "CREATE TABLE IF NOT EXISTS answers (code TEXT, question INTEGER, client TEXT, choice INTEGER, address TEXT, "
    "PRIMARY KEY (code, question, client))",
    "CREATE INDEX IF NOT EXISTS answers_from ON answers (code, question, address)",
)
TALLY = "SELECT choice, count(*) FROM answers WHERE code = ? AND question = ? GROUP BY choice"   # {choice: n}
OWNED = ("drawings", "senders", "questions", "answers")    # tables of what a class owns, by its code: they go with it


def schema_problem(conn):
    """Why the SQLite file behind conn holds something other than this version's store, or None (a new file too)."""
    version, = conn.execute("PRAGMA user_version").fetchone()
    if version == SCHEMA_VERSION or version in UPGRADED:
        return None
    if version == 0:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return f"holds another program's tables ({', '.join(tables)}), not cnnviz's classes" if tables else None
    return f"has schema version {version}, and this cnnviz reads version {SCHEMA_VERSION}"


def ready(conn, path):
    """Make the file behind conn (autocommit) this version's store unless it is one; raises Unusable if it holds
    something else. The tables and the version are written in one transaction: another process sees none or all."""
    conn.execute("PRAGMA journal_mode=WAL")
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return                                      # the usual case: no write, so the workers start at once
    conn.execute("BEGIN IMMEDIATE")
    try:
        why = schema_problem(conn)
        if why:
            raise Unusable(f"{path} {why}")
        for table in TABLES:
            conn.execute(table)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def held(db, code, table, limit, refused):
    """How many rows of table (its drawings, its questions) the open class with this code holds, in the transaction
    db; None if it is not open, Refused(refused) once it holds limit."""
    if not db.execute("SELECT 1 FROM classes WHERE code = ? AND ended = 0", (code,)).fetchone():
        return None
    n, = db.execute(f"SELECT count(*) FROM {table} WHERE code = ?", (code,)).fetchone()
    if n >= limit:
        raise Refused(refused)
    return n


class EmbeddedStore:
    """The store on a SQLite file (WAL: readers never wait for the writer)."""

    def __init__(self, path, limits, clock=time.time):
        self.path, self.limits = path, limits
        self.clock = clock          # the time records and logs lapse by, in seconds (a test passes its own)
        self.closed = False
        # One connection per process: SQLite's calls never yield to gevent, so greenlets could not share the work
        # anyway; the lock serialises real threads (the development server, tests).
        self.conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        self.lock = threading.RLock()
        try:
            ready(self.conn, path)
            self.conn.execute("PRAGMA synchronous=NORMAL")
        except Unusable:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise Unusable(f"cannot use {path} as cnnviz's store: {e}") from e

    @contextmanager
    def db(self):
        """The connection inside one transaction, which takes the write lock at once (no upgrade deadlocks)."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def read(self, sql, args=()):
        """All rows of one query."""
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    # classes
    def create_class(self, code, token_hash, state, address, now, limits=None):
        limits = limits or self.limits
        with self.db() as db:
            live = now - limits.class_hours * 3600
            db.execute("DELETE FROM classes WHERE ended = 1 AND changed < ?", (now - ENDED_SECONDS,))
            started, = db.execute("SELECT count(*) FROM classes WHERE address = ? AND created > ?",
                                  (address, now - 3600)).fetchone()
            if started >= limits.per_address_hour:
                raise Refused(f"at most {limits.per_address_hour} classes an hour from one address: try later")
            open_now, = db.execute("SELECT count(*) FROM classes WHERE ended = 0 AND changed > ?", (live,)).fetchone()
            if open_now >= limits.at_once:
                raise Refused(f"{limits.at_once} classes are open on this server: try later")
            db.execute("DELETE FROM classes WHERE code = ?", (code,))     # an ended or expired class's code
            for table in OWNED:                                           # and what it may have left
                db.execute(f"DELETE FROM {table} WHERE code = ?", (code,))
            db.execute("INSERT INTO classes VALUES (?, ?, ?, 1, ?, ?, ?, 0)",
                       (code, token_hash, state, now, now, address))

    def get_class(self, code, now):
        rows = self.read("SELECT code, token_hash, state, seq, changed, address FROM classes WHERE code = ? AND ended = 0 "
                         "AND changed > ?", (code, now - self.limits.class_hours * 3600))
        return ClassRecord(*rows[0]) if rows else None

    def update_class(self, code, state, now):
        with self.db() as db:
            row = db.execute("UPDATE classes SET state = ?, seq = seq + 1, changed = ? WHERE code = ? AND ended = 0 "
                             "AND changed > ? RETURNING seq",
                             (state, now, code, now - self.limits.class_hours * 3600)).fetchone()
        return row[0] if row else None

    def end_class(self, code):
        with self.db() as db:
            ended = db.execute("UPDATE classes SET ended = 1 WHERE code = ? AND ended = 0", (code,)).rowcount
            for table in OWNED:
                db.execute(f"DELETE FROM {table} WHERE code = ?", (code,))
        return ended > 0

    def expired_classes(self, now):
        self.prune(now)
        rows = self.read("SELECT code FROM classes WHERE ended = 0 AND changed <= ?",
                         (now - self.limits.class_hours * 3600,))
        return [r[0] for r in rows]

    def prune(self, now):
        """Delete what outlived its lifetime, so that the file does not grow over restarts: classes ended over
        ENDED_SECONDS ago and drawings of no open class, lapsed records and logs, dead workers' presence."""
        with self.db() as db:
            db.execute("DELETE FROM classes WHERE ended = 1 AND changed < ?", (now - ENDED_SECONDS,))
            for table in OWNED:
                db.execute(f"DELETE FROM {table} WHERE code NOT IN (SELECT code FROM classes WHERE ended = 0)")
            db.execute("DELETE FROM kv WHERE expires <= ?", (now,))
            db.execute("DELETE FROM items WHERE expires <= ?", (now,))
            db.execute("DELETE FROM presence WHERE seen <= ?", (now - PRESENCE_SECONDS,))

    def add_drawing(self, code, drawing, sender, limit, each):
        with self.db() as db:
            n = held(db, code, "drawings", limit, drawings_refused(limit))
            if n is None:
                return None
            sent = db.execute("SELECT n FROM senders WHERE code = ? AND sender = ?", (code, sender)).fetchone()
            if sent and sent[0] >= each:
                raise Refused(sender_refused(each))
            db.execute("INSERT INTO drawings VALUES (?, ?, ?)", (code, n + 1, drawing))
            db.execute("INSERT INTO senders VALUES (?, ?, 1) ON CONFLICT (code, sender) DO UPDATE SET n = n + 1",
                       (code, sender))
        return n + 1

    def drawings(self, code):
        return [r[0] for r in self.read("SELECT data FROM drawings WHERE code = ? ORDER BY id", (code,))]

    # questions to the class and their answers
    def ask(self, code, question, choices, limit):
        with self.db() as db:
            n = held(db, code, "questions", limit, questions_refused(limit))
            if n is None:
                return None
            db.execute("INSERT INTO questions VALUES (?, ?, ?, ?, 0)", (code, n + 1, question, choices))
        return n + 1

    def question(self, code, id_=None):
        rows = self.read("SELECT id, data, revealed FROM questions WHERE code = ? AND (? IS NULL OR id = ?) "
                         "ORDER BY id DESC LIMIT 1", (code, id_, id_))
        return (rows[0][0], rows[0][1], bool(rows[0][2])) if rows else None

    def answer(self, code, id_, client, choice, address, each):
        with self.db() as db:
            asked = db.execute(
                "SELECT choices, revealed, EXISTS (SELECT 1 FROM answers WHERE code = q.code AND question = q.id AND "
                "client = ?), (SELECT count(*) FROM answers WHERE code = q.code AND question = q.id AND address = ?) "
                "FROM questions q JOIN classes USING (code) WHERE code = ? AND id = ? AND ended = 0",
                (client, address, code, id_)).fetchone()
            if not asked or asked[1] or not 0 <= choice < asked[0]:
                return NO_QUESTION if not asked else REVEALED if asked[1] else NO_CHOICE
            if not asked[2] and asked[3] >= each:                # a device not counted yet, past the address's
                raise Refused(answers_refused(each))
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?) ON CONFLICT (code, question, client) DO UPDATE "
                       "SET choice = excluded.choice", (code, id_, client, choice, address))
        return ANSWERED

    def tally(self, code, id_):
        return dict(self.read(TALLY, (code, id_)))

    def reveal(self, code, id_):
        with self.db() as db:
            if not db.execute("UPDATE questions SET revealed = 1 WHERE code = ? AND id = ?", (code, id_)).rowcount:
                return None
            return dict(db.execute(TALLY, (code, id_)).fetchall())

    # runs: small records and logs with a lifetime
    def claim(self, key, value, seconds):
        now = self.clock()
        with self.db() as db:
            db.execute("DELETE FROM kv WHERE key = ? AND expires <= ?", (key, now))
            return db.execute("INSERT OR IGNORE INTO kv VALUES (?, ?, ?)", (key, value, now + seconds)).rowcount > 0

    def get(self, key):
        rows = self.read("SELECT value FROM kv WHERE key = ? AND expires > ?", (key, self.clock()))
        return rows[0][0] if rows else None

    def put(self, key, value, seconds):
        with self.db() as db:
            db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", (key, value, self.clock() + seconds))

    def drop(self, key):
        with self.db() as db:
            db.execute("DELETE FROM kv WHERE key = ?", (key,))

    def append(self, key, value, seconds):
        now = self.clock()
        with self.db() as db:
            db.execute("DELETE FROM items WHERE key = ? AND expires <= ?", (key, now))
            n, = db.execute("SELECT count(*) FROM items WHERE key = ?", (key,)).fetchone()
            db.execute("INSERT INTO items VALUES (?, ?, ?, ?)", (key, n, value, now + seconds))
            db.execute("UPDATE items SET expires = ? WHERE key = ?", (now + seconds, key))
        return n + 1

    def items(self, key, start=0):
        rows = self.read("SELECT value FROM items WHERE key = ? AND idx >= ? AND expires > ? ORDER BY idx",
                         (key, start, self.clock()))
        return [r[0] for r in rows]

    # presence: how many streams each worker holds open, per topic
    def set_presence(self, topic, worker, counts, now):
        with self.db() as db:
            if any(counts.values()):
                db.execute("INSERT OR REPLACE INTO presence VALUES (?, ?, ?, ?)", (topic, worker, json.dumps(counts), now))
            else:
                db.execute("DELETE FROM presence WHERE topic = ? AND worker = ?", (topic, worker))

    def presence(self, topic, now, alive=lambda worker: True):
        totals = {}
        for worker, counts in self.read("SELECT worker, counts FROM presence WHERE topic = ? AND seen > ?",
                                        (topic, now - PRESENCE_SECONDS)):
            if alive(worker):
                for name, n in json.loads(counts).items():
                    totals[name] = totals.get(name, 0) + n
        return totals

    # health: the file is this process's own, always there
    def ping(self):
        self.read("SELECT 1")

    # events
    def publish(self, topic, event, data):
        with self.db() as db:
            db.execute("INSERT INTO events (topic, event, data, at) VALUES (?, ?, ?, ?)", (topic, event, data, time.time()))

    def listen(self, deliver, ready=lambda: None):
        """Deliver every event published from now on, in order, until close(); ready() once that holds."""
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        last, = db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        ready()
        pruned = time.monotonic()
        while not self.closed:
            rows = db.execute("SELECT id, topic, event, data FROM events WHERE id > ? ORDER BY id", (last,)).fetchall()
            for _, topic, event, data in rows:
                deliver(topic, event, data)
            if rows:
                last = rows[-1][0]
            if time.monotonic() - pruned > EVENT_SECONDS:
                pruned = time.monotonic()
                with self.db() as w:
                    w.execute("DELETE FROM events WHERE at < ?", (time.time() - EVENT_SECONDS,))
            time.sleep(POLL_SECONDS)
        db.close()

    def close(self):
        self.closed = True
