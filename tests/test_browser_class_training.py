"""In real browsers, a class watches its teacher train: the teacher starts a class and a training (its requests
carry the class's token and code); a following student's page opens the training view, watch-only, and its curves
grow from the run's events with no trace of its own; the teacher resets the run and the student's view closes."""

import json
import re

from playwright.sync_api import expect

from .test_browser_classroom import FOLLOW_MS, Devices, devices, joined, start_class  # noqa: F401  (a fixture)

TRAINING_MS = 30_000               # the run's first points (a training process starting, batches on two cores)


def curve_points(page):
    """How many training-loss points the curves show."""
    return page.evaluate("() => document.getElementById('scratch-loss').data?.[0]?.x?.length ?? 0")


def test_a_following_student_watches_the_teachers_training(devices):
    teacher = devices.page()
    url = start_class(teacher, devices.base)
    student = joined(devices.page(), url)
    expect(student.locator("#scratch")).to_have_count(0)          # a first visit loads no training code

    teacher.get_by_role("button", name="Train from scratch").click()
    dialog = teacher.get_by_role("dialog", name="Train from scratch")
    dialog.get_by_label("Epochs").fill("1")
    with teacher.expect_request(lambda r: r.url.endswith("/api/training") and r.method == "POST") as started:
        dialog.get_by_role("button", name="▶ Run").click()
    request = started.value
    code = re.search(r"/c/(\w+)", url).group(1)
    assert request.headers["authorization"].startswith("Bearer ") and json.loads(request.post_data)["class"] == code

    watching = student.get_by_role("dialog", name="Training, live")
    expect(watching).to_be_visible(timeout=FOLLOW_MS)
    expect(watching.locator("#scratch-run")).to_be_hidden()            # no controls: it watches
    traces = []
    student.on("request", lambda r: "/trace" in r.url and traces.append(r.url))
    grown = "(n) => (document.getElementById('scratch-loss').data?.[0]?.x?.length ?? 0) > n"
    student.wait_for_function(grown, arg=0, timeout=TRAINING_MS)
    student.wait_for_function(grown, arg=curve_points(student), timeout=TRAINING_MS)
    expect(watching.locator("#scratch-status")).to_contain_text(re.compile(r"step \d+ of"))

    teacher.get_by_role("button", name="↺ Reset").click()
    expect(watching).to_be_hidden(timeout=FOLLOW_MS)
    assert traces == [], "the follower watched from the run's events, tracing nothing"
    teacher.locator("#scratch .close").click()
