"""Asking the class: the teacher (with the class token) asks a question about what comes next where the class is,
made by questions.py from the trace of the class's digit; every device answers once (a later answer replaces its
earlier one); the teacher reads the counts and reveals. Every stream of the class hears `question` and `reveal`;
the right answer leaves the server only in the reveal."""

import json

from flask import Blueprint, request

from ..body import json_body
from ..errors import BadRequest, Conflict, NotFound
from ..info import find_sample, sample_pixels
from ..models import model_for
from ..store import NO_CHOICE, NO_QUESTION, REVEALED
from . import questions
from . import state as states
from .api import CLIENT, authorised, guessed, live_class, store, topic, wrong

bp = Blueprint("questions", __name__, url_prefix="/api/classes")
MAX_QUESTIONS = 500        # questions a class keeps: a lesson asks a few dozen
MAX_ANSWERS_EACH = 500     # devices that may answer one question from one address: a whole school behind one NAT


def digit(state, body):
    """The class's digit as the network's (28, 28) input: a sample's or the state's packed pixels, or for a
    drawing the input the teacher's page read from it (body "pixels"), since only a browser draws the strokes as
    the class's pages do."""
    source = state["source"]
    if source is None:
        raise Conflict("the class has no digit yet: draw one, upload one or choose a sample, then ask")
    if "sample" in source:
        try:
            return sample_pixels(find_sample(source["sample"]))
        except NotFound as e:
            raise Conflict(f"the class's digit: {e}") from None
    packed = source.get("pixels") or body.get("pixels")
    if packed is None:
        raise BadRequest('the class\'s digit is a drawing: send {"pixels": its network input as the page read it, '
                         "packed as in the page's links}")
    try:
        return states.unpack_pixels(packed)
    except ValueError as e:
        raise BadRequest(f"'pixels': {e}") from None


@bp.post("/<code>/questions")
def ask(code):
    """{} (or {"pixels"} for a drawn digit) -> 201 {"id", "stage", "pos", "prompt", "choices"}, to every stream
    too; 409 where nothing comes next that could be asked."""
    record = live_class(code)
    authorised(record)
    body = json_body()
    packed = body.get("pixels", "") if isinstance(body, dict) else None
    if not isinstance(body, dict) or set(body) - {"pixels"} or not (isinstance(packed, str) and
                                                                    states.PACKED.fullmatch(packed or "-")):
        raise BadRequest('expected {}, or {"pixels": the drawn digit\'s network input, packed as in the page\'s links}')
    state = json.loads(record.state)
    x = digit(state, body)
    try:
        model = model_for(state.get("weights"))
    except NotFound as e:
        raise Conflict(f"the class's weights: {e}") from None
    trace = model.trace(x)
    try:
        made = questions.make(state, trace, model.backprop(x, state["back"]) if "back" in state else None)
    except questions.NoQuestion as e:
        raise Conflict(f"no question here: {e}") from None
    id_ = store().ask(record.code, made.dumps(), len(made.choices), MAX_QUESTIONS)     # or 429 past the limit
    if id_ is None:
        raise NotFound(f"class '{record.code}' has ended")
    public = made.public(id_)
    store().publish(topic(record.code), "question", json.dumps(public))
    return public, 201


def asked(code, id_):
    """The class's question with this id as (Question, revealed), or 404."""
    found = store().question(code, id_) if possible(id_) else None
    if found is None:
        raise NotFound(f"class '{code}' has no question {id_}")
    return questions.Question.loads(found[1]), found[2]


def possible(id_):
    """Could a question have this id (1 to MAX_QUESTIONS)? An id past any store's integers is not asked of it."""
    return 1 <= id_ <= MAX_QUESTIONS


@bp.post("/<code>/questions/<int:id_>/answers")
def answer(code, id_):
    """{"client": the page's id, "choice": an index} -> 204; the device's later answer replaces this one. One call to
    the store, which checks the class, the question and the choice with the answer: 300 come at once."""
    canonical = guessed(code)
    body = json_body()
    if not isinstance(body, dict) or set(body) != {"client", "choice"} or not isinstance(body["client"], str) \
            or not CLIENT.fullmatch(body["client"]) or type(body["choice"]) is not int:
        raise BadRequest('expected {"client": the page\'s id (8 to 64 letters, digits, "-" or "_"), "choice": the '
                         "index of a choice}")
    done = store().answer(canonical, id_, body["client"], body["choice"], request.remote_addr or "",
                          MAX_ANSWERS_EACH) if possible(id_) else NO_QUESTION     # or 429 past the limit
    if done == NO_QUESTION:
        raise wrong(f"no question {id_} in a class '{code}' running here")
    if done == REVEALED:
        raise Conflict("the answer has been revealed: answers are closed")
    if done == NO_CHOICE:
        raise BadRequest("'choice' must be the index of one of the question's choices, from 0")
    return "", 204


@bp.get("/<code>/questions/<int:id_>")
def show(code, id_):
    """How many have answered and the count of each choice (teacher only): {"id", "answers", "counts", "revealed"}."""
    record = live_class(code)
    authorised(record)
    question, revealed = asked(record.code, id_)
    return {"id": id_, **question.counts(store().tally(record.code, id_)), "revealed": revealed}


@bp.post("/<code>/questions/<int:id_>/reveal")
def reveal(code, id_):
    """{} -> 200 {"right", "answers", "counts"}, the counts final; every stream gets `reveal` with the same and the
    id."""
    record = live_class(code)
    authorised(record)
    if json_body() != {}:
        raise BadRequest("expected {}")
    question, _ = asked(record.code, id_)
    tally = store().reveal(record.code, id_)
    if tally is None:
        raise NotFound(f"class '{record.code}' has no question {id_}")
    revealed = question.revealed(id_, tally)
    store().publish(topic(record.code), "reveal", json.dumps(revealed))
    return {k: revealed[k] for k in ("right", "answers", "counts")}
