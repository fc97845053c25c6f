"""Both store backends, the embedded SQLite file and a real redis-server, against the same contract."""

import threading
import time

import pytest

from cnnviz.app.store import ANSWERED, NO_CHOICE, NO_QUESTION, REVEALED, Limits, Refused, open_store


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


def test_questions_and_answers(store):
    store.create_class("ABCDEF", "h", "{}", "a", time.time())
    assert store.question("ABCDEF") is None
    assert [store.ask("ABCDEF", f'{{"n":{i}}}', 3, 3) for i in range(2)] == [1, 2]
    assert store.ask("ZZZZZZ", "{}", 3, 3) is None
    assert store.question("ABCDEF") == (2, '{"n":1}', False) and store.question("ABCDEF", 1) == (1, '{"n":0}', False)
    assert store.question("ABCDEF", 9) is None
    mind = [("c1", 0, "10.0.0.1"), ("c2", 1, "10.0.0.1"), ("c1", 2, "10.0.0.1"), ("c3", 2, "10.0.0.2")]
    assert {store.answer("ABCDEF", 2, client, choice, address, 2) for client, choice, address in mind} == {ANSWERED}
    with pytest.raises(Refused, match="one address"):
        store.answer("ABCDEF", 2, "c4", 0, "10.0.0.1", 2)              # a third device behind 10.0.0.1
    assert store.answer("ABCDEF", 2, "c2", 2, "10.0.0.1", 2) == ANSWERED   # one already counted may change its mind
    assert store.answer("ABCDEF", 2, "c2", 3, "10.0.0.1", 2) == NO_CHOICE  # the question has 3 choices
    assert store.answer("ABCDEF", 2, "c2", -1, "10.0.0.1", 2) == NO_CHOICE
    assert store.tally("ABCDEF", 2) == {2: 3} and store.tally("ABCDEF", 1) == {}     # c1 and c2 once each
    assert store.reveal("ABCDEF", 2) == {2: 3} and store.question("ABCDEF") == (2, '{"n":1}', True)
    assert store.answer("ABCDEF", 2, "c5", 1, "10.0.0.3", 2) == REVEALED and store.tally("ABCDEF", 2) == {2: 3}
    assert store.answer("ABCDEF", 1, "c5", 1, "10.0.0.3", 2) == ANSWERED and store.tally("ABCDEF", 1) == {1: 1}
    assert store.answer("ABCDEF", 7, "c5", 1, "10.0.0.3", 2) == NO_QUESTION and store.reveal("ABCDEF", 7) is None
    assert store.answer("ZZZZZZ", 1, "c5", 1, "10.0.0.3", 2) == NO_QUESTION
    assert store.ask("ABCDEF", "{}", 3, 3) == 3
    with pytest.raises(Refused, match="3 questions"):
        store.ask("ABCDEF", "{}", 3, 3)
    store.end_class("ABCDEF")                                           # a class's questions go with it
    assert store.question("ABCDEF") is None and store.question("ABCDEF", 1) is None
    assert store.answer("ABCDEF", 1, "c6", 1, "10.0.0.3", 2) == NO_QUESTION
    store.create_class("ABCDEF", "h", "{}", "a", time.time())          # the code again: a new class, no questions
    assert store.question("ABCDEF") is None and store.ask("ABCDEF", "{}", 3, 3) == 1 and store.tally("ABCDEF", 1) == {}


def test_answers_at_once_are_counted_once(store):
    """300 devices answering at once, each twice (changing its mind), from 8 threads: 300 answers, the last each."""
    store.create_class("ABCDEF", "h", "{}", "a", time.time())
    store.ask("ABCDEF", "{}", 4, 3)

    def device(n):
        for choice in (n % 3, n % 4):
            assert store.answer("ABCDEF", 1, f"device-{n:03d}", choice, "10.0.0.1", 500) == ANSWERED

    threads = [threading.Thread(target=lambda k=k: [device(n) for n in range(k, 300, 8)]) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = {c: sum(1 for n in range(300) if n % 4 == c) for c in range(4)}
    assert store.tally("ABCDEF", 1) == expected and sum(expected.values()) == 300
