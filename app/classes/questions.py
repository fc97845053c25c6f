"""Asking the class: a question made from the trace of the class's digit about what comes next in the walk the
teacher shows (forward, or backward towards the state's `back`), with the engine's number as the right answer and
the plausible mistakes beside it. Numbers are written as the page writes them (static/js/format.js), so the right
choice reads exactly as the page will show it once the teacher steps on."""

import json
import random
from dataclasses import asdict, dataclass

import numpy as np

from ...cnn import config as C
from ...format import fix, short

MIN_CHOICES, MAX_CHOICES = 2, 10
CORNERS = ("top left", "top right", "bottom left", "bottom right")   # a 2x2 pooling window's cells, row by row


class NoQuestion(Exception):
    """Nothing to ask at a position (or, whole, anywhere in its stage): carries the reason, for the teacher."""

    def __init__(self, message, whole=False):
        super().__init__(message)
        self.whole = whole


@dataclass(frozen=True)
class Question:
    stage: str                 # the stage and position the question is about: where the teacher steps on to
    pos: int
    prompt: str
    choices: tuple
    right: int                 # the index of the right choice: kept by the server until the reveal

    def public(self, id_):
        """What every page gets when it is asked: everything but the right answer."""
        return {"id": id_, "stage": self.stage, "pos": self.pos, "prompt": self.prompt, "choices": list(self.choices)}

    def counts(self, tally):
        """How many answered and the count of each choice (tally: {choice: count}), without the right one."""
        counts = [tally.get(i, 0) for i in range(len(self.choices))]
        return {"answers": sum(counts), "counts": counts}

    def revealed(self, id_, tally):
        """The reveal: the right choice, how many answered, the count of each choice."""
        return {"id": id_, "right": self.right, **self.counts(tally)}

    def dumps(self):
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text):
        d = json.loads(text)
        return cls(d["stage"], d["pos"], d["prompt"], tuple(d["choices"]), d["right"])


def latest(store, code):
    """What a stream opened now hears of the class's latest question: `question` while it is open, else `reveal`
    (a page shows a reveal only of a question it showed): [(event, data)]."""
    found = store.question(code)
    if found is None:
        return []
    id_, data, revealed = found
    question = Question.loads(data)
    if not revealed:
        return [("question", json.dumps(question.public(id_)))]
    return [("reveal", json.dumps(question.revealed(id_, store.tally(code, id_))))]


def choose(prompt, right, wrong):
    """A Question's prompt, choices and right index: the right text and the distinct wrong ones (at most
    MAX_CHOICES in all), shuffled by the prompt (the same question, the same order)."""
    choices = [right]
    for w in wrong:
        if w not in choices and len(choices) < MAX_CHOICES:
            choices.append(w)
    if len(choices) < MIN_CHOICES:
        raise NoQuestion(f"every plausible answer reads {right} there")
    random.Random(prompt).shuffle(choices)
    return prompt, tuple(choices), choices.index(right)


def pick(prompt, choices, right):
    """A Question's prompt, choices in their own order (digits, a window's cells) and the right index."""
    assert len(set(choices)) == len(choices) and MIN_CHOICES <= len(choices) <= MAX_CHOICES
    return prompt, tuple(choices), right


def cell(shape, pos):
    return tuple(int(i) for i in np.unravel_index(pos, shape))


def beside(shape, at):
    """The neighbouring cell to the right of `at` (to the left in the last column): the neighbouring window, or for a
    vector's index (q,) the next one (the one before, for the last)."""
    *rest, j = at
    return (*rest, j + 1 if j + 1 < shape[-1] else j - 1)


def window(x, c, i, j, k=C.POOL):
    return x[c, i * k:(i + 1) * k, j * k:(j + 1) * k].ravel()


def which_cell(prompt, values, kept, k=C.POOL):
    """Which of a pooling window's cells (values, row by row) the pool keeps (kept): asked only when no other cell
    reads the same as the largest, as the page writes them (0.0000 beside 0.0000 cannot be told apart)."""
    written = [fix(v) for v in values]
    if written.count(written[kept]) > 1:
        raise NoQuestion(f"the window's largest value, {written[kept]}, reads the same in more than one cell")
    names = CORNERS if k == 2 else [f"row {a}, column {b}" for a in range(k) for b in range(k)]
    return pick(prompt, [f"{n}: {w}" for n, w in zip(names, written)], kept)


def where(shape, pos, subject, verb):
    """Which cell of the maps (C, H, W) a flat position comes from: the right one, and the cells of the usual
    mistakes (channel-last order, rows and columns swapped, the neighbours in the vector)."""
    n, h, w = shape
    name = lambda c, r, col: f"map {c + 1}, row {r}, column {col}"    # noqa: E731
    c, r, col = cell(shape, pos)
    last = (pos % n, pos // n // w, pos // n % w)
    wrong = [name(*last), name(c, col, r) if h == w else None,
             *(name(*cell(shape, p)) for p in (pos - 1, pos + 1) if 0 <= p < n * h * w)]
    return choose(f"{subject} position {pos} of the {n * h * w}-vector {verb} which cell of the {n} maps of {h}×{w}?",
                  name(c, r, col), [x for x in wrong if x])


def forward(name, kind, s, q, labels):
    """The question about position q of the forward Stage s."""
    out = s.output
    if kind == "conv":
        f, i, j = at = cell(out.shape, q)
        bias, n = s.params["bias"][f], s.details["products"][f, i, j].size
        return choose(f"{name}, filter {f + 1} at row {i}, column {j}: the {n} products summed, plus the bias, give?",
                      fix(out[at]), [fix(s.details["sums"][at]), fix(-out[at]), fix(out[beside(out.shape, at)]),
                                     fix(s.details["sums"][at] - bias)])
    if kind == "relu":
        at = cell(out.shape, q)
        x, relu = s.input[at], (lambda v: "0" if v == 0 else short(v))
        return choose(f"{name}, channel {at[0] + 1}, row {at[1]}, column {at[2]}: ReLU({short(x)}) = ?",
                      relu(out[at]), [relu(x), relu(-x), relu(0.0)])
    if kind == "sigmoid":
        at = cell(out.shape, q)
        x, y = s.input[at], out[at]
        guess = [short(0.5 + x / 4)] if 0 < 0.5 + x / 4 < 1 else []    # the curve taken for its tangent at 0
        return choose(f"{name}, channel {at[0] + 1}, row {at[1]}, column {at[2]}: σ({short(x)}) = ?",
                      short(y), [short(1 - y), short(out[beside(out.shape, at)]), *guess])
    if kind == "pool":
        c, i, j = cell(out.shape, q)
        return which_cell(f"{name}, channel {c + 1}, the {C.POOL}×{C.POOL} window at row {i * C.POOL}, column "
                          f"{j * C.POOL}: which cell does the pool keep?", window(s.input, c, i, j),
                          int(s.details["argmax"][c, i, j]))
    if kind == "flatten":
        return where(s.input.shape, q, "flatten:", "comes from")
    if kind == "dense":
        return choose(f"dense, digit {labels[q]}: its logit, the {s.input.size} contributions summed plus the "
                      "bias, is?", fix(out[q]), [fix(s.details["sums"][q]), fix(-out[q]),
                                                  fix(out[beside(out.shape, (q,))])])
    if kind == "softmax" and q == 0:
        return pick("What will the network answer?", list(labels), s.details["prediction"])
    if kind == "softmax":
        return choose(f"softmax, digit {labels[q]}: its probability?", short(out[q]),
                      [short(s.details["exponentials"][q]), short(1 - out[q]), short(out[q - 1])])
    raise NoQuestion(f"the {name} stage shows no number to guess", whole=True)


def backward(name, kind, b, s, q, labels, label):
    """The question about position q of the backward walk (towards label) at its Backward b, whose forward Stage
    is s."""
    if kind == "softmax":
        g, p = b.grad_input, b.details["probabilities"]
        return choose(f"softmax backwards, digit {labels[q]}: ∂L/∂z = p − y = ?", short(g[q]),
                      [short(p[q]), short(-g[q]), short(g[beside(g.shape, (q,))])])
    if kind == "dense":
        g = b.grad_input
        return choose(f"dense backwards, input {q}: ∂L/∂input, the {b.grad_output.size} products weight × δ "
                      "summed, is?", short(g[q]),
                      [short(-g[q]), short(g[beside(g.shape, (q,))]),
                       short(b.details["products"][label, q])])                   # the label's alone
    if kind == "flatten":
        return where(s.input.shape, q, "flatten backwards: the gradient at", "goes back to")
    at = cell(b.grad_output.shape, q)
    delta = b.grad_output[at]
    if kind in ("pool", "sigmoid", "relu", "conv") and delta == 0:
        raise NoQuestion("its gradient δ is 0 there")
    if kind == "pool":
        c, i, j = at
        return which_cell(f"{name} backwards, channel {c + 1}, the window at row {i * C.POOL}, column {j * C.POOL}: "
                          f"its gradient {short(delta)} goes back to which cell?", window(s.input, c, i, j),
                          int(b.details["argmax"][at]))
    place = f"channel {at[0] + 1}, row {at[1]}, column {at[2]}"
    if kind == "sigmoid":
        y = s.output[at]
        return choose(f"{name} backwards, {place}: δ {short(delta)} × s(1−s), where s = {short(y)}, is?",
                      short(b.grad_input[at]), [short(delta * y), short(delta * (1 - y)), short(-b.grad_input[at]),
                                               short(delta)])
    if kind == "relu":
        return choose(f"{name} backwards, {place}: δ {short(delta)} comes back, and the input going forward was "
                      f"{short(s.input[at])}: ∂L/∂input = ?", short(b.grad_input[at]),
                      [short(delta), short(0.0), short(-delta)])
    if kind == "conv":
        sums = b.details["bias_accumulated"]
        f, i, j = at
        before = sums.reshape(sums.shape[0], -1)[f, i * sums.shape[2] + j - 1] if i or j else 0.0
        return choose(f"{name} backwards, filter {f + 1} at row {i}, column {j}: δ here is {short(delta)}; the "
                      "bias's running sum Σ δ becomes?", short(sums[at]),
                      [short(before), short(before - delta), short(delta)])
    raise NoQuestion(f"the {name} stage's gradient is shown as a map: no number to guess", whole=True)


def walk(trace, back):
    """The walk the teacher shows as [(name, kind, positions)]: the trace's stages, or the backward walk's."""
    if back is None:
        return [(s.name, s.kind, 1 if s.kind == "input" else s.output.size) for s in trace]
    return [("loss", "loss", 1)] + [(b.name, b.kind, 1 if b.kind == "input" else
                                     (b.grad_input if b.kind == "dense" else b.grad_output).size) for b in back]


def make(state, trace, back=None, labels=C.CLASS_LABELS):
    """The Question about what comes after the class's position (state: its stage and pos) in the walk: the forward
    trace (a Trace), or back, the backward walk (a BackwardTrace) when the state has `back`. The first position, in
    the rest of this stage and the next, with something to ask (not a tie, not a zero gradient); NoQuestion says
    why there is none."""
    stages = walk(trace, back)
    now = [name for name, _, _ in stages].index(state["stage"])
    why = "the class is at the end of the walk: nothing comes next"
    for i, (name, kind, count) in enumerate(stages[now:now + 2], now):
        first = min(state["pos"], count - 1) + 1 if i == now else 0
        for pos in range(first, count):
            try:
                made = forward(name, kind, trace[name], pos, labels) if back is None else \
                    backward(name, kind, back[name], trace[name], pos, labels, back.label)
                return Question(name, pos, *made)
            except NoQuestion as e:
                why = f"{name}, {'the stage' if e.whole else f'position {pos}'}: {e}"
                if e.whole:
                    break
    raise NoQuestion(f"nothing to ask from here to the end of the next stage ({why})")
