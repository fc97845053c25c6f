"""Both store backends, the embedded SQLite file and a real redis-server, against the same contract."""

import threading
import time

import pytest

from cnnviz.app.store import Limits, Refused, open_store


@pytest.fixture(params=["embedded", "redis"])
def store(request, tmp_path):
    if request.param == "embedded":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        url = request.getfixturevalue("redis_url")
        import redis
        redis.Redis.from_url(url).flushdb()
    clock = Clock()
    s = open_store(url, Limits(per_address_hour=2, at_once=3, class_hours=1), clock)
    s.later = clock.later if request.param == "embedded" else time.sleep    # Redis keeps its own time
    yield s
    s.close()


class Clock:
    """time.time() moved on by hand."""

    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now

    def later(self, seconds):
        self.now += seconds


def test_classes(store):
    now = time.time()
    store.create_class("ABCDEF", "hash", '{"pos":0}', "10.0.0.1", now)
    record = store.get_class("ABCDEF", now)
    assert (record.code, record.token_hash, record.state, record.seq) == ("ABCDEF", "hash", '{"pos":0}', 1)
    assert store.update_class("ABCDEF", '{"pos":1}', now + 1) == 2
    assert store.get_class("ABCDEF", now + 1).state == '{"pos":1}'
    assert store.update_class("ZZZZZZ", "{}", now) is None
    assert store.expired_classes(now + 3600) == [] and store.expired_classes(now + 3602) == ["ABCDEF"]
    assert store.get_class("ABCDEF", now + 3602) is None                       # an hour without a change
    assert store.end_class("ABCDEF") and not store.end_class("ABCDEF")
    assert store.get_class("ABCDEF", now) is None and store.update_class("ABCDEF", "{}", now) is None


def test_limits(store):
    now = time.time()
    store.create_class("AAAAAA", "h", "{}", "10.0.0.1", now)
    store.create_class("BBBBBB", "h", "{}", "10.0.0.1", now)
    with pytest.raises(Refused, match="an hour"):
        store.create_class("CCCCCC", "h", "{}", "10.0.0.1", now)
    store.create_class("DDDDDD", "h", "{}", "10.0.0.2", now)
    with pytest.raises(Refused, match="open"):
        store.create_class("EEEEEE", "h", "{}", "10.0.0.3", now)
    store.end_class("AAAAAA")
    store.create_class("EEEEEE", "h", "{}", "10.0.0.3", now)                   # an ended class frees its place


def test_drawings(store):
    store.create_class("ABCDEF", "h", "{}", "a", time.time())
    assert [store.add_drawing("ABCDEF", f'{{"n":{i}}}', "10.0.0.1", 3, 2) for i in range(2)] == [1, 2]
    with pytest.raises(Refused, match="one device"):                   # the sender's count is kept
        store.add_drawing("ABCDEF", "{}", "10.0.0.1", 3, 2)
    assert store.add_drawing("ABCDEF", '{"n":2}', "10.0.0.2", 3, 2) == 3
    with pytest.raises(Refused, match="the most it keeps"):
        store.add_drawing("ABCDEF", "{}", "10.0.0.3", 3, 2)
    assert store.drawings("ABCDEF") == ['{"n":0}', '{"n":1}', '{"n":2}']
    assert store.add_drawing("ZZZZZZ", "{}", "10.0.0.1", 3, 2) is None
    store.end_class("ABCDEF")
    assert store.drawings("ABCDEF") == []
    store.create_class("ABCDEF", "h", "{}", "a", time.time())          # the code again: a new class, new counts
    assert store.add_drawing("ABCDEF", "{}", "10.0.0.1", 3, 2) == 1


def test_records_and_logs(store):
    assert store.claim("training:current", "run-1", 0.1) and not store.claim("training:current", "run-2", 0.1)
    assert store.get("training:current") == "run-1"
    store.later(0.15)
    assert store.get("training:current") is None and store.claim("training:current", "run-2", 10)   # lapsed
    store.put("k", "v", 10)
    assert store.get("k") == "v"
    store.drop("k")
    assert store.get("k") is None
    assert [store.append("log", str(i), 10) for i in range(3)] == [1, 2, 3]
    assert store.items("log") == ["0", "1", "2"] and store.items("log", 2) == ["2"]


def test_presence_sums_workers_and_lapses(store):
    now = time.time()
    store.set_presence("class:A", "w1", {"following": 2, "exploring": 1}, now)
    store.set_presence("class:A", "w2", {"following": 3}, now)
    assert store.presence("class:A", now) == {"following": 5, "exploring": 1}
    store.set_presence("class:A", "w2", {"following": 0}, now)
    assert store.presence("class:A", now) == {"following": 2, "exploring": 1}
    assert store.presence("class:A", now + 60) == {}                          # a worker that stopped refreshing


def test_events_reach_every_listener_in_order(store):
    got, ready = {1: [], 2: []}, {1: threading.Event(), 2: threading.Event()}
    for n in got:
        threading.Thread(target=store.listen, args=(lambda *e, n=n: got[n].append(e), ready[n].set),
                         daemon=True).start()
    assert all(r.wait(5) for r in ready.values())                             # listening from now on
    for i in range(20):
        store.publish("class:A", "state", str(i))
    deadline = time.monotonic() + 5
    while min(len(g) for g in got.values()) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert got[1] == got[2] == [("class:A", "state", str(i)) for i in range(20)]
