"""Guessing at speed: wrong class codes and tokens from one address get 429 after a burst; a school's students
behind one NAT still fit; this machine's own address is not limited."""

import pytest

from cnnviz.app.classes.guesses import BURST, Guesses
from cnnviz.app.store import Refused


@pytest.fixture(scope="module")
def app():
    """An app of this file's own: its tests start many classes (a store allows 20 an hour from one address)."""
    from cnnviz.app import close, create_app
    made = create_app({"TESTING": True})
    yield made
    close(made)


PHONE = {"REMOTE_ADDR": "203.0.113.7"}        # a device on the network, not this machine


@pytest.fixture()
def fresh(app):
    """The app with a fresh guess counter (the session's app is shared)."""
    keep = app.extensions["cnnviz"].guesses
    app.extensions["cnnviz"].guesses = Guesses()
    yield app
    app.extensions["cnnviz"].guesses = keep


def test_wrong_codes_from_one_address_get_429_after_a_burst(fresh):
    client = fresh.test_client()
    made = client.post("/api/classes", json={}).get_json()
    answers = [client.get("/api/classes/ZZZZZZ", environ_base=PHONE).status_code for _ in range(BURST + 5)]
    assert answers[:BURST] == [404] * BURST and set(answers[BURST:]) == {429}
    r = client.get(f"/api/classes/{made['code']}", environ_base=PHONE)
    assert r.status_code == 429 and "too many wrong class codes" in r.get_json()["error"]
    other = {"REMOTE_ADDR": "203.0.113.8"}
    assert client.get(f"/api/classes/{made['code']}", environ_base=other).status_code == 200
    assert client.get("/api/classes/ZZZZZZ").status_code == 404           # this machine: never limited


def test_wrong_tokens_count_too(fresh):
    client = fresh.test_client()
    code = client.post("/api/classes", json={}).get_json()["code"]
    wrong = {"Authorization": "Bearer not-the-token"}
    answers = [client.put(f"/api/classes/{code}", json={}, headers=wrong, environ_base=PHONE).status_code
               for _ in range(BURST + 2)]
    assert answers[:BURST] == [403] * BURST and set(answers[BURST:]) == {429}


def test_a_class_of_mistyping_students_behind_one_nat_fits_and_time_restores_it():
    guesses, nat = Guesses(), "198.51.100.1"
    for _ in range(BURST):                       # a class of 60, each mistyping once, at the same moment
        guesses.check(nat, 100.0)
        guesses.wrong(nat, 100.0)
    with pytest.raises(Refused):
        guesses.check(nat, 100.0)
    guesses.check(nat, 101.0)                    # a second later: one more allowed
    guesses.check(nat, 100.0 + BURST)            # a minute later: the whole burst again
    assert guesses.allowance(nat, 1e6) == BURST


def test_the_counter_is_bounded():
    guesses = Guesses(addresses=100)
    for i in range(1000):
        guesses.wrong(f"203.0.113.{i % 250}.{i}", 0.0)
    assert len(guesses.kept) == 100
