"""A stream's queue: every event in order for a client that keeps up; for one that falls behind, states and
training progress merge into the latest, and nothing else is dropped."""

from cnnviz.app.hub import MAX_PENDING, Stream


def test_a_client_that_keeps_up_gets_every_event_in_order():
    s = Stream("class:A", "following", "10.0.0.1")
    for i in range(MAX_PENDING - 1):
        s.put("state", str(i))
    assert [s.get(0) for _ in range(MAX_PENDING - 1)] == [("state", str(i)) for i in range(MAX_PENDING - 1)]
    assert s.get(0.01) is None


def test_a_slow_client_gets_the_latest_state_and_progress_and_every_other_event():
    s = Stream("class:A", "following", "10.0.0.1")
    for i in range(MAX_PENDING):
        s.put("state", f"s{i}")
        s.put("progress", f"p{i}")
    s.put("drawings", "d")
    s.put("end", "e")
    got = []
    while (e := s.get(0.01)) is not None:
        got.append(e)
    states = [d for k, d in got if k == "state"]
    assert states[-1] == f"s{MAX_PENDING - 1}" and len(states) < MAX_PENDING
    assert [d for k, d in got if k == "progress"][-1] == f"p{MAX_PENDING - 1}"
    assert got[-2:] == [("drawings", "d"), ("end", "e")]


def test_a_worker_keeps_counts_only_for_topics_it_has_streams_for(tmp_path):
    """Every worker hears every class's counts: it keeps the last only while it holds a stream of that class, so a
    long-lived worker does not keep one per class it ever heard of."""
    import time

    from cnnviz.app.hub import FLUSH_SECONDS, Hub
    from cnnviz.app.store import open_store
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    hub = Hub(store)
    try:
        for i in range(100):
            hub.deliver(f"class:C{i}", "counts", '{"following": 1}')
        assert hub.last_counts == {}
        stream = hub.open("class:MINE", "following", "10.0.0.1")
        hub.deliver("class:MINE", "counts", '{"following": 1}')
        assert list(hub.last_counts) == ["class:MINE"]
        hub.close(stream)
        hub.start()
        deadline = time.monotonic() + 50 * FLUSH_SECONDS
        while hub.last_counts and time.monotonic() < deadline:     # the next housekeeping round forgets it
            time.sleep(FLUSH_SECONDS / 4)
        assert hub.last_counts == {}
    finally:
        hub.stop()
        store.close()
