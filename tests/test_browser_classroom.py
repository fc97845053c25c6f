"""A class in real browsers, each browser context a device: the teacher starts a class, students join by its
address or by typing its code, and follow the stage, the digit and play; one breaks away and comes back; the
teacher reloads and resumes; a student's stream drops and recovers; drawings go to the teacher and back to the
class; the end of the class reaches every student."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from .test_browser_support import ONE, draw, shown_position

SEVEN = [[(0.2, 0.2), (0.8, 0.2), (0.45, 0.85)]]
FOLLOW_MS = 5000                   # how long a follower may take to show a change (it takes well under a second)
DROPPED = ("ERR_INTERNET_DISCONNECTED", "ERR_NETWORK_CHANGED", "ERR_NAME_NOT_RESOLVED", "ERR_FAILED")
NOT_FOUND = (*DROPPED, "404 (NOT FOUND)")


class Devices:
    """Browser contexts as devices (own storage, own connections), each page watched for errors."""

    def __init__(self, browser, base):
        self.browser, self.base, self.contexts, self.problems = browser, base, [], []

    def page(self, width=1280, height=800, context=None, allowed=DROPPED):
        """A new page (in a new context unless given one); console errors that contain one of allowed are expected."""
        if context is None:
            context = self.browser.new_context(viewport={"width": width, "height": height})
            self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("console", lambda m: m.type == "error" and not any(a in m.text for a in allowed)
                and self.problems.append(m.text))
        page.on("request", lambda r: r.url.startswith((self.base, "data:", "blob:"))
                or self.problems.append(f"left origin: {r.url}"))
        return page

    def close(self):
        for c in self.contexts:
            c.close()


@pytest.fixture()
def devices(browser, live_server):
    d = Devices(browser, live_server)
    yield d
    d.close()
    assert d.problems == []


def start_class(page, base):
    """Open the page and start a class: its join URL."""
    page.goto(base + "/")
    page.wait_for_selector("body.ready")
    page.get_by_role("button", name="Start a class").click()
    link = page.locator("#join-url")
    expect(link).to_be_visible()
    expect(page.locator("#join-qr")).to_have_js_property("complete", True)
    assert page.locator("#join-qr").evaluate("img => img.naturalWidth") > 0
    return link.get_attribute("href")


def joined(page, url):
    page.goto(url)
    expect(page.locator("#class-banner")).to_contain_text("Following the teacher")
    page.wait_for_selector("body.ready")
    return page


def counts(teacher, following, exploring):
    expect(teacher.locator("#followers")).to_contain_text(re.compile(rf"^{following} students? following"))
    expect(teacher.locator("#explorers")).to_contain_text(re.compile(rf"^{exploring} exploring"))


def same_view(student, teacher):
    """The student shows the teacher's stage and prediction."""
    stage = teacher.locator("#stage").get_attribute("data-stage")
    expect(student.locator("#stage")).to_have_attribute("data-stage", stage, timeout=FOLLOW_MS)
    expect(student.locator("#prediction")).to_have_text(teacher.locator("#prediction").inner_text(), timeout=FOLLOW_MS)


def digit_link(page):
    """The digit's part of the page's link (s=, d= or p=)."""
    return re.search(r"[sdp]=[^&]*", page.evaluate("location.hash")).group(0)


def test_three_students_follow_stage_digit_and_play(devices, live_server):
    teacher = devices.page()
    url = start_class(teacher, live_server)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/c/[A-Z2-9]{6}", url)
    expect(teacher.locator(".class-warning")).to_contain_text("cnnviz serve --host 0.0.0.0")   # on 127.0.0.1 only
    code = url.rsplit("/", 1)[1]
    students = [joined(devices.page(360, 640), url), joined(devices.page(), url.replace(code, code.lower()))]
    typed = devices.page(allowed=NOT_FOUND)              # a mistyped code is looked up first: a 404
    typed.goto(live_server + "/")
    typed.wait_for_selector("body.ready")
    typed.get_by_role("button", name="Join a class").click()
    typed.locator("#join-code").fill("nope22")
    typed.locator("#join-go").click()
    expect(typed.locator("#join-error")).to_contain_text("No class")
    typed.locator("#join-code").fill(code.lower())
    typed.locator("#join-go").click()
    expect(typed.locator("#class-banner")).to_contain_text("Following the teacher")
    expect(typed).to_have_url(re.compile(rf"/c/{code}"))
    students.append(typed)
    counts(teacher, 3, 0)

    teacher.get_by_role("button", name="Next", exact=True).click()
    teacher.get_by_role("button", name="Next", exact=True).click()
    for s in students:
        same_view(s, teacher)
        expect(s.locator("#stage")).to_have_attribute("data-stage", "relu1")

    draw(teacher, ONE)                                   # strokes go out on pen-up
    expect(teacher.locator("#prediction")).to_have_text("1")
    for s in students:
        same_view(s, teacher)
        expect(s).to_have_url(re.compile(re.escape(digit_link(teacher))))

    follower = students[2]                               # a follower's pad and player are the teacher's
    draw(follower, SEVEN)
    follower.get_by_role("button", name="Next", exact=True).click()
    expect(follower.locator("#class-note")).to_contain_text("Explore on my own")
    expect(follower.locator("#prediction")).to_have_text("1")
    expect(follower.locator("#stage")).to_have_attribute("data-stage", "relu1")

    teacher.get_by_role("button", name="Previous", exact=True).click()     # conv1: 1,152 positions
    teacher.get_by_role("button", name="Play (Space)").click()
    for s in students:
        expect(s.locator("#play")).to_have_attribute("aria-label", "Pause (Space)", timeout=FOLLOW_MS)
        expect(s.locator("#position")).not_to_have_text(re.compile(r"^position 1 of"))
    teacher.get_by_role("button", name="Pause (Space)").click()
    where = shown_position(teacher)
    for s in students:
        expect(s.locator("#play")).to_have_attribute("aria-label", "Play (Space)", timeout=FOLLOW_MS)
        expect(s.locator("#position")).to_have_text(re.compile(rf"^position {where + 1} of"), timeout=FOLLOW_MS)


def test_a_student_explores_sends_a_drawing_and_comes_back(devices, live_server):
    teacher = devices.page()
    url = start_class(teacher, live_server)
    student = joined(devices.page(), url)
    counts(teacher, 1, 0)

    student.get_by_role("button", name="Explore on my own").click()
    expect(student.locator("#class-banner")).to_contain_text("Exploring on your own")
    counts(teacher, 0, 1)
    draw(student, ONE)                                   # the pad is theirs now
    expect(student.locator("#prediction")).to_have_text("1")
    expect(student).to_have_url(re.compile(r"#d="))
    mine = digit_link(student)
    student.get_by_role("button", name="Next", exact=True).click()
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1")

    for _ in range(3):                                   # the teacher goes on meanwhile; the student is not moved
        teacher.get_by_role("button", name="Next", exact=True).click()
    expect(teacher.locator("#stage")).to_have_attribute("data-stage", "pool1")
    student.wait_for_timeout(500)
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1")

    student.get_by_role("button", name="Send my drawing to the teacher").click()
    expect(student.locator("#class-note")).to_contain_text("Sent to the teacher: the network read it as 1")
    teacher.get_by_role("button", name="Show drawings (1)").click()
    drawing = teacher.locator(".drawing").first
    expect(drawing).to_contain_text("1")

    student.get_by_role("button", name="Back to the teacher").click()      # catches up at once
    expect(student.locator("#stage")).to_have_attribute("data-stage", "pool1", timeout=2000)
    expect(student.locator("#prediction")).to_have_text("7")
    counts(teacher, 1, 0)

    drawing.get_by_role("button", name=re.compile("Show drawing")).click()  # the student's drawing, to the class
    expect(teacher.locator("#prediction")).to_have_text("1")
    expect(teacher).to_have_url(re.compile(r"#p="))
    expect(student.locator("#prediction")).to_have_text("1", timeout=FOLLOW_MS)
    expect(student).to_have_url(re.compile(re.escape(digit_link(teacher))))
    expect(student.locator("#stage")).to_have_attribute("data-stage", "pool1")

    student.get_by_role("button", name="Explore on my own").click()       # their own drawing and stage are kept
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1")
    expect(student).to_have_url(re.compile(re.escape(mine)))


def test_teacher_resumes_a_dropped_student_catches_up_and_the_class_ends(devices, live_server):
    teacher = devices.page(allowed=NOT_FOUND)            # once ended, a reload finds no class to resume: a 404
    url = start_class(teacher, live_server)
    code = url.rsplit("/", 1)[1]
    student = devices.page(360, 640, allowed=(*DROPPED, "503"))
    streams = []
    student.on("request", lambda r: "/events?" in r.url and streams.append(r.url))
    joined(student, url)
    counts(teacher, 1, 0)

    teacher.reload()                                     # the token stays in the browser, never in the URL
    assert "token" not in teacher.url
    expect(teacher.locator(".class-offer")).to_contain_text(code)
    teacher.get_by_role("button", name="Resume the class").click()
    expect(teacher.locator("#join-url")).to_have_attribute("href", url)
    counts(teacher, 1, 0)
    projector = devices.page(context=teacher.context)   # a second window of the teacher's drives too
    projector.goto(live_server + "/")
    projector.get_by_role("button", name="Resume the class").click()
    counts(projector, 1, 0)
    projector.get_by_role("button", name="Next", exact=True).click()
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1", timeout=FOLLOW_MS)
    expect(teacher.locator("#stage")).to_have_attribute("data-stage", "conv1", timeout=FOLLOW_MS)
    projector.close()

    # The student's stream drops, and reconnecting fails for a while: new connections to the stream are refused,
    # and a stream opened elsewhere with the page's own client id makes the server end the page's current one.
    student.route("**/events?*", lambda route: route.abort("internetdisconnected"))
    with urllib.request.urlopen(streams[-1]) as other:
        other.readline()
    expect(student.locator("#class-banner")).to_have_class(re.compile("offline"), timeout=FOLLOW_MS)
    expect(student.locator("#class-note")).to_contain_text("reconnecting")
    teacher.get_by_role("button", name="Next", exact=True).click()
    expect(teacher.locator("#stage")).to_have_attribute("data-stage", "relu1")
    student.wait_for_timeout(500)
    expect(student.locator("#stage")).to_have_attribute("data-stage", "conv1")
    student.unroute("**/events?*")                       # back: it reconnects by itself and catches up
    expect(student.locator("#stage")).to_have_attribute("data-stage", "relu1", timeout=FOLLOW_MS)
    expect(student.locator("#class-banner")).not_to_have_class(re.compile("offline"))

    # A stream the browser gave up on (refused, as iOS Safari leaves one after sleep) is opened again when the page
    # is shown: here sooner than the page's own recheck (3 s) would.
    student.route("**/events?*", lambda route: route.fulfill(status=503, body="busy"))
    checked = re.compile(r"/api/classes/\w+$")              # refused: the page asks whether the class still runs
    with student.expect_request(checked, timeout=FOLLOW_MS), urllib.request.urlopen(streams[-1]) as other:
        other.readline()
    expect(student.locator("#class-banner")).to_have_class(re.compile("offline"))
    student.unroute("**/events?*")
    student.evaluate("dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(student.locator("#class-banner")).not_to_have_class(re.compile("offline"), timeout=1500)

    teacher.get_by_role("button", name="End the class", exact=True).click()
    teacher.get_by_role("button", name="End the class now", exact=True).click()
    expect(teacher.locator("#class-panel")).to_have_count(0)
    expect(student.locator("#class-banner")).to_contain_text("has ended")
    expect(student.locator("#stage")).to_have_attribute("data-stage", "relu1")   # it stays where it was
    draw(student, ONE)                                   # and is free to explore
    expect(student.locator("#prediction")).to_have_text("1")
    teacher.reload()
    expect(teacher.get_by_role("button", name="Start a class")).to_be_visible()
    expect(teacher.locator(".class-offer")).to_have_count(0)


def test_the_class_follows_the_teacher_s_backward_walk(devices, live_server):
    """The teacher walks back from the loss towards 3: the students' pages follow it stage by stage, with its
    loss, and come forward again with the teacher."""
    teacher = devices.page()
    url = start_class(teacher, live_server)
    students = [joined(devices.page(360, 640), url) for _ in range(2)]
    teacher.get_by_role("button", name="Learn from this digit").click()
    teacher.get_by_role("group", name="Which digit is it?").get_by_role("button", name="3", exact=True).click()
    expect(teacher.locator("#stage")).to_have_attribute("data-direction", "backward")
    loss = teacher.locator("#loss")
    expect(loss).not_to_be_empty()
    for name in ("loss", "softmax", "dense", "flatten", "pool2"):
        expect(teacher.locator("#stage")).to_have_attribute("data-stage", name)
        for student in students:
            expect(student.locator("#stage")).to_have_attribute("data-direction", "backward", timeout=FOLLOW_MS)
            expect(student.locator("#stage")).to_have_attribute("data-stage", name, timeout=FOLLOW_MS)
            expect(student.locator("#loss")).to_have_text(loss.inner_text(), timeout=FOLLOW_MS)
        teacher.get_by_role("button", name="Next", exact=True).click()
    teacher.get_by_role("button", name="Back to the forward pass").click()
    expect(teacher.locator("#stage")).to_have_attribute("data-direction", "forward")
    for student in students:
        expect(student.locator("#stage")).to_have_attribute("data-direction", "forward", timeout=FOLLOW_MS)
        same_view(student, teacher)


def test_the_teacher_asks_the_class_reveals_and_paces_it(devices, live_server):
    """A teacher and two phones: the teacher draws and asks about what comes next, each phone taps an answer (one
    changes its mind), the teacher sees how many answered and the distribution, reveals, and steps on to the real
    number; then brings back a phone exploring on its own (its drawing kept) and holds the class."""
    teacher = devices.page()
    url = start_class(teacher, live_server)
    phones = [joined(devices.page(360, 640), url) for _ in range(2)]
    counts(teacher, 2, 0)
    draw(teacher, ONE)                      # a drawing: asked about with the input the teacher's page read from it
    for phone in phones:
        expect(phone.locator("#prediction")).to_have_text("1", timeout=FOLLOW_MS)
    teacher.get_by_role("button", name="Next", exact=True).click()           # conv1, its first window shown
    for phone in phones:
        expect(phone.locator("#stage")).to_have_attribute("data-stage", "conv1", timeout=FOLLOW_MS)

    teacher.get_by_role("button", name="Ask the class").click()
    asked = teacher.locator("#question")
    expect(asked).to_have_attribute("data-state", "open")
    prompt = teacher.locator("#question-prompt").inner_text()
    assert prompt.startswith("conv1, filter 1 at row 0, column 1:")            # what comes next
    choices = teacher.locator("#question .choice-text").all_inner_texts()
    for phone in phones:
        expect(phone.locator("#question")).to_have_attribute("data-state", "open", timeout=FOLLOW_MS)
        expect(phone.locator("#question-prompt")).to_have_text(prompt)
        assert phone.locator("#question [data-right]").count() == 0              # no page knows it yet
    first, second = (phones[0].get_by_role("button", name=c, exact=True) for c in choices[:2])
    first.click()
    second.click()                                                               # changed until the reveal
    expect(second).to_have_attribute("aria-pressed", "true")
    expect(first).to_have_attribute("aria-pressed", "false")
    phones[1].get_by_role("button", name=choices[1], exact=True).click()
    expect(phones[1].locator("#question")).to_contain_text("Your answer is in")
    expect(teacher.locator("#answers")).to_have_text("2 answered of 2 following")
    teacher.get_by_role("button", name="Show the answers").click()
    expect(teacher.locator("#question .choice-count").nth(1)).to_have_text("2 · 100%")

    teacher.get_by_role("button", name="Reveal").click()
    right = teacher.locator("#question [data-right] .choice-text").inner_text()
    expect(teacher.locator("#question [aria-current='true']")).to_have_count(1)
    for phone in phones:
        expect(phone.locator("#question")).to_have_attribute("data-state", "revealed", timeout=FOLLOW_MS)
        expect(phone.locator("#question [data-right] .choice-text")).to_have_text(right)
        verdict = "Right!" if right == choices[1] else "Not this time"
        expect(phone.locator("#question .question-verdict")).to_contain_text(verdict)
    teacher.get_by_role("button", name="Step on").click()
    expect(teacher.locator("#conv-result")).to_have_text(right)                 # the number the page then shows
    for phone in phones:
        expect(phone.locator("#conv-result")).to_have_text(right, timeout=FOLLOW_MS)

    explorer = phones[0]
    explorer.get_by_role("button", name="Close", exact=True).click()            # the question, done with
    expect(explorer.locator("#question")).to_be_hidden()
    explorer.get_by_role("button", name="Explore on my own").click()
    explorer.locator("#pad").scroll_into_view_if_needed()
    draw(explorer, ONE)
    expect(explorer).not_to_have_url(re.compile(re.escape(digit_link(teacher))))   # its strokes added to the class's
    mine = digit_link(explorer)
    counts(teacher, 1, 1)
    teacher.get_by_role("button", name="Bring everyone back").click()
    expect(explorer.locator("#class-banner")).to_contain_text("Following the teacher", timeout=FOLLOW_MS)
    expect(explorer.locator("#class-note")).to_contain_text("brought everyone back")
    same_view(explorer, teacher)
    counts(teacher, 2, 0)
    explorer.get_by_role("button", name="Explore on my own").click()           # its own drawing is still there
    expect(explorer).to_have_url(re.compile(re.escape(mine)))

    teacher.get_by_role("button", name="Hold the class").click()
    expect(teacher.get_by_role("button", name="Hold the class")).to_have_attribute("aria-pressed", "true")
    expect(explorer.locator("#class-banner")).to_contain_text("Following the teacher", timeout=FOLLOW_MS)
    for phone in phones:
        expect(phone.get_by_role("button", name="Explore on my own")).to_be_disabled(timeout=FOLLOW_MS)
        expect(phone.locator("#class-hold")).to_contain_text("holding the class")
    teacher.get_by_role("button", name="Hold the class").click()                # released
    for phone in phones:
        expect(phone.get_by_role("button", name="Explore on my own")).to_be_enabled(timeout=FOLLOW_MS)
        expect(phone.locator("#class-hold")).to_be_hidden()


def test_a_phone_that_reloads_keeps_its_answer_and_is_counted_once(devices, live_server):
    """A device's id and its answer stay in its browser (stored.js): reloaded, the page shows the answer it gave, and
    the class's count has the device once."""
    teacher = devices.page()
    url = start_class(teacher, live_server)
    phone = joined(devices.page(360, 640), url)
    draw(teacher, ONE)
    expect(phone.locator("#prediction")).to_have_text("1", timeout=FOLLOW_MS)
    teacher.get_by_role("button", name="Next", exact=True).click()
    expect(phone.locator("#stage")).to_have_attribute("data-stage", "conv1", timeout=FOLLOW_MS)
    teacher.get_by_role("button", name="Ask the class").click()
    expect(phone.locator("#question")).to_have_attribute("data-state", "open", timeout=FOLLOW_MS)
    mine = phone.get_by_role("button", name=teacher.locator("#question .choice-text").nth(1).inner_text(), exact=True)
    mine.click()
    expect(phone.locator("#question")).to_contain_text("Your answer is in")
    phone.reload()
    expect(phone.locator("#question")).to_have_attribute("data-state", "open", timeout=FOLLOW_MS)
    expect(mine).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#question")).to_contain_text("Your answer is in")
    expect(teacher.locator("#answers")).to_contain_text("1 answered")
