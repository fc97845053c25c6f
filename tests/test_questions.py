"""Ask the class, each kind of stage, forward and backward: the question the API makes about what comes next, and
its right answer (known only from the reveal) checked against the engine's trace with a slow reference in plain
loops; the number reads as the page writes it."""

import math

import numpy as np
import pytest

from cnnviz.app.classes.questions import CORNERS, Question
from cnnviz.format import fix, short
from cnnviz.app.info import find_sample, sample_pixels
from cnnviz.cnn import config as C

SAMPLE = "test-00000"          # a 7, read as 7
LABEL = 3                      # the backward walk goes towards 3
K = C.POOL


@pytest.fixture(scope="module")
def app():
    from cnnviz.app import close, create_app
    made = create_app({"TESTING": True})
    yield made
    close(made)


@pytest.fixture(scope="module")
def taught(app):
    """A class on the sample, its teacher's header, and the engine's forward trace and backward walk of it."""
    client = app.test_client()
    made = client.post("/api/classes", json={}).get_json()
    model, x = app.extensions["cnnviz"].weights.model, sample_pixels(find_sample(SAMPLE))
    return made["code"], {"Authorization": f"Bearer {made['token']}"}, model.trace(x), model.backprop(x, LABEL)


def at(a, pos):
    return np.unravel_index(pos, a.shape)


def conv(t, b, name, pos):                  # Σ weight × input over the window, + bias, in plain loops
    s = t[name]
    f, i, j = at(s.output, pos)
    w, k = s.params["weight"][f], s.params["weight"].shape[-1]
    total = sum(float(w[c, a, d]) * float(s.input[c, i + a, j + d])
                for c in range(w.shape[0]) for a in range(k) for d in range(k))
    return total + float(s.params["bias"][f])


def pool(values_of):
    def kept(t, b, name, pos):
        c, i, j = at(t[name].output, pos)
        values = [float(values_of(t, name)[c, K * i + a, K * j + d]) for a in range(K) for d in range(K)]
        best = max(range(K * K), key=lambda n: values[n])
        return f"{CORNERS[best]}: {fix(values[best])}"
    return kept


def cell_of(t, b, name, pos):               # position = c·H·W + row·W + column
    n, h, w = t[name].input.shape
    c, rest = divmod(pos, h * w)
    return f"map {c + 1}, row {rest // w}, column {rest % w}"


def dense(t, b, name, pos):
    s = t[name]
    return sum(float(s.params["weight"][pos, i]) * float(s.input[i]) for i in range(s.input.size)) + \
        float(s.params["bias"][pos])


def answer(t, b, name, pos):
    return str(max(range(C.NUM_CLASSES), key=lambda k: float(t["dense"].output[k])))


def probability(t, b, name, pos):
    z = [float(v) for v in t["dense"].output]
    return math.exp(z[pos] - max(z)) / sum(math.exp(v - max(z)) for v in z)


def delta(b, name, pos):
    return float(b[name].grad_output[at(b[name].grad_output, pos)])


def back_conv(t, b, name, pos):             # the bias's running sum: δ over the filter's positions so far
    f, i, j = at(b[name].grad_output, pos)
    return sum(float(b[name].grad_output[f, r, c]) for r in range(i + 1)
               for c in range(b[name].grad_output.shape[2] if r < i else j + 1))


NUMBERS = {   # (direction, kind) -> the slow reference of the subject's number, or of its choice's text
    ("forward", "conv"): conv,
    ("forward", "relu"): lambda t, b, name, pos: max(0.0, float(t[name].input[at(t[name].input, pos)])),
    ("forward", "pool"): pool(lambda t, name: t[name].input),
    ("forward", "sigmoid"): lambda t, b, name, pos: 1 / (1 + math.exp(-float(t[name].input[at(t[name].input, pos)]))),
    ("forward", "flatten"): cell_of,
    ("forward", "dense"): dense,
    ("forward", "softmax"): lambda t, b, name, pos: answer(t, b, name, pos) if pos == 0 else probability(t, b, name, pos),
    ("backward", "softmax"): lambda t, b, name, pos: probability(t, b, name, pos) - (pos == LABEL),
    ("backward", "dense"): lambda t, b, name, pos: sum(float(t["dense"].params["weight"][k, pos]) *
                                                       float(b["dense"].grad_output[k]) for k in range(C.NUM_CLASSES)),
    ("backward", "flatten"): cell_of,
    ("backward", "pool"): pool(lambda t, name: t[name].input),
    ("backward", "sigmoid"): lambda t, b, name, pos: delta(b, name, pos) * (lambda s: s * (1 - s))(
        float(t[name].output[at(t[name].output, pos)])),
    ("backward", "relu"): lambda t, b, name, pos: delta(b, name, pos) * (t[name].input[at(t[name].input, pos)] > 0),
    ("backward", "conv"): back_conv,
}
WHERE = [   # the class's stage and position, forward (no label) or backward (towards LABEL)
    ("input", 0, None), ("conv1", 300, None), ("relu1", 400, None), ("pool1", 40, None), ("conv2", 40, None),
    ("sigmoid2", 57, None), ("pool2", 12, None), ("flatten", 36, None), ("dense", 3, None), ("dense", 9, None),
    ("softmax", 3, None),
    ("loss", 0, LABEL), ("softmax", 2, LABEL), ("dense", 40, LABEL), ("flatten", 30, LABEL), ("pool2", 7, LABEL),
    ("sigmoid2", 33, LABEL), ("conv2", 17, LABEL), ("pool1", 50, LABEL), ("relu1", 300, LABEL), ("conv1", 1100, LABEL),
]


@pytest.mark.parametrize("stage, pos, back", WHERE, ids=[f"{s}-{p}{'-back' if b else ''}" for s, p, b in WHERE])
def test_each_kind_s_question_has_the_trace_s_answer(app, taught, stage, pos, back):
    code, teacher, trace, walk = taught
    client = app.test_client()
    state = {"source": {"sample": SAMPLE}, "stage": stage, "pos": pos, **({"back": back} if back is not None else {})}
    assert client.put(f"/api/classes/{code}", json=state, headers=teacher).status_code == 204
    r = client.post(f"/api/classes/{code}/questions", json={}, headers=teacher)
    assert r.status_code == 201, r.get_json()
    asked = r.get_json()
    assert set(asked) == {"id", "stage", "pos", "prompt", "choices"}                   # never the right answer
    assert 2 <= len(asked["choices"]) <= 10 and len(set(asked["choices"])) == len(asked["choices"])
    names = [*C.STAGE_NAMES] if back is None else ["loss", *reversed(C.STAGE_NAMES)]
    subject = (names.index(asked["stage"]), asked["pos"])
    assert (names.index(stage), pos) < subject and subject[0] <= names.index(stage) + 1   # what comes next
    right = client.post(f"/api/classes/{code}/questions/{asked['id']}/reveal", json={}, headers=teacher).get_json()
    text = asked["choices"][right["right"]]
    kind = dict((n, k) for n, k, _ in C.STAGES)[asked["stage"]]
    expected = NUMBERS["forward" if back is None else "backward", kind](trace, walk, asked["stage"], asked["pos"])
    if isinstance(expected, str):
        assert text == expected
        return
    assert float(text) == pytest.approx(expected, rel=1e-3, abs=6e-5)            # the slow reference
    line = trace[asked["stage"]] if back is None else walk[asked["stage"]]
    v = line.output if back is None else line.details["bias_accumulated"] if kind == "conv" else line.grad_input
    v = v.flat[asked["pos"]]
    assert text in {fix(v), short(v), "0" if v == 0 else None}                     # the engine's, as the page writes it


def test_a_question_keeps_its_right_answer_on_the_server(taught, app):
    """The stored question holds the right index; what the API and the streams send does not."""
    code, teacher, _, _ = taught
    client = app.test_client()
    client.put(f"/api/classes/{code}", json={"source": {"sample": SAMPLE}, "stage": "conv1", "pos": 5}, headers=teacher)
    asked = client.post(f"/api/classes/{code}/questions", json={}, headers=teacher).get_json()
    stored = Question.loads(app.extensions["cnnviz"].store.question(code, asked["id"])[1])
    assert stored.public(asked["id"]) == asked and 0 <= stored.right < len(asked["choices"])


@pytest.mark.parametrize("v, fixed, shortest", [   # as static/js/format.js writes them (node gave these): a choice
                                                     # reads as the page will show the number
    (0.03125, "0.0313", "0.0313"), (-0.03125, "-0.0313", "-0.0313"), (-0.00004, "0.0000", "-4.000e-5"),
    (-1.5, "-1.5000", "-1.5000"), (1.23456e-7, "0.0000", "1.235e-7"), (-9.99996e-6, "0.0000", "-1.000e-5"),
    (0.00005, "0.0001", "0.0001"), (4.99e-5, "0.0000", "4.990e-5"), (1e-12, "0.0000", "1.000e-12"),
    (0.0, "0.0000", "0.0000"), (-0.0, "0.0000", "0.0000"), (123.45675, "123.4567", "123.4567"),
    (np.float32(0.7487), "0.7487", "0.7487"),
])
def test_numbers_are_written_as_the_page_writes_them(v, fixed, shortest):
    assert (fix(v), short(v)) == (fixed, shortest)


@pytest.mark.parametrize("values, kept, asked", [
    ([0.1, 0.2, 0.3, 0.9], 3, True),
    ([0.00001, 0.0, 0.0, 0.0], 0, False),             # 0.0000 four times: no student can tell which is kept
    ([0.3, 0.30000001, 0.1, 0.2], 1, False),           # 0.3000 twice
])
def test_a_pool_question_is_asked_only_when_the_kept_cell_reads_apart(values, kept, asked):
    from cnnviz.app.classes.questions import NoQuestion, which_cell
    if asked:
        _, choices, right = which_cell("?", np.array(values, np.float32), kept)
        assert right == kept and choices[right].endswith(fix(values[kept]))
    else:
        with pytest.raises(NoQuestion):
            which_cell("?", np.array(values, np.float32), kept)
