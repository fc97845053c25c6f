"""What the pages say when the class's connection is lost: the teacher's panel and the student's banner say
"Connection to the class lost — reconnecting…" while the class store (Redis) does not answer or the event
stream drops, and clear it once the class flows again (the teacher's change made meanwhile goes out then)."""

import re
import sys
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import free_port, started, stop
from .test_browser_classroom import DROPPED, Devices, counts, joined, start_class
from .test_faults import RedisServer

LOST = "Connection to the class lost — reconnecting…"
NOTICED_MS = 10_000       # the server notices a silent Redis within about 4 s (a ping every 2 s, a 2 s timeout)


@pytest.fixture(scope="module")
def redis_class_server(tmp_path_factory):
    """`cnnviz serve --redis` on a Redis of its own, which a test may pause; yields (base URL, RedisServer)."""
    redis = RedisServer(tmp_path_factory.mktemp("redis"))
    port = free_port()
    server = started([sys.executable, "-m", "cnnviz", "serve", "--port", str(port), "--redis", redis.url], port)
    yield f"http://127.0.0.1:{port}", redis
    stop(server)
    redis.close()


@pytest.fixture()
def devices(browser, redis_class_server):
    d = Devices(browser, redis_class_server[0])
    yield d
    d.close()
    assert d.problems == []


def lost(teacher, student):
    expect(teacher.locator("#class-connection")).to_have_text(LOST, timeout=NOTICED_MS)
    expect(teacher.locator("#class-panel")).to_have_class(re.compile("offline"))
    expect(student.locator("#class-note")).to_have_text(LOST, timeout=NOTICED_MS)
    expect(student.locator("#class-banner")).to_have_class(re.compile("offline"))


def back(teacher, student):
    expect(teacher.locator("#class-connection")).to_be_empty(timeout=NOTICED_MS)
    expect(teacher.locator("#class-connection")).to_be_hidden()
    expect(teacher.locator("#class-panel")).not_to_have_class(re.compile("offline"))
    expect(student.locator("#class-note")).not_to_have_text(LOST, timeout=NOTICED_MS)
    expect(student.locator("#class-banner")).not_to_have_class(re.compile("offline"))


def test_the_pages_say_the_class_store_stopped_and_the_class_goes_on_when_it_is_back(devices, redis_class_server):
    base, redis = redis_class_server
    teacher = devices.page(allowed=(*DROPPED, "503"))
    student = devices.page(360, 640, allowed=(*DROPPED, "503"))
    url = start_class(teacher, base)
    joined(student, url)
    counts(teacher, 1, 0)
    expect(teacher.locator("#class-connection")).to_be_hidden()

    redis.stop("paused")
    try:
        lost(teacher, student)
        teacher.get_by_role("button", name="Next", exact=True).click()      # refused (503): sent again later
        expect(teacher.locator("#stage")).to_have_attribute("data-stage", "conv1")
    finally:
        redis.resume("paused")
    back(teacher, student)
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1", timeout=NOTICED_MS)


def test_the_pages_say_their_stream_dropped_and_clear_it_once_it_is_back(devices, redis_class_server):
    base, _ = redis_class_server
    teacher = devices.page()
    student = devices.page(360, 640)
    streams = {teacher: [], student: []}
    for page in streams:
        page.on("request", lambda r, page=page: "/events?" in r.url and streams[page].append(r.url))
    url = start_class(teacher, base)
    joined(student, url)
    counts(teacher, 1, 0)

    for page in streams:          # reconnecting fails, and a stream with the page's client id ends its current one
        page.route("**/events?*", lambda route: route.abort("internetdisconnected"))
        with urllib.request.urlopen(streams[page][-1]) as other:
            other.readline()
    lost(teacher, student)
    for page in streams:
        page.unroute("**/events?*")                   # back: EventSource reconnects by itself
    back(teacher, student)
    teacher.get_by_role("button", name="Next", exact=True).click()
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1", timeout=NOTICED_MS)
