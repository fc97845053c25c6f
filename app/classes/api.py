"""The classroom API: a teacher starts a class and drives it with a secret token; students follow its state
over server-sent events, or explore on their own while staying counted, and send their drawings in."""

import base64
import json
import re
import secrets

import numpy as np
import orjson
from flask import Blueprint, Response, current_app, request

from ...cnn import config as C
from ...cnn import mnist

from .. import sse
from ..body import json_body
from ..errors import BadRequest, Forbidden, NotFound, Unauthorized
from ..parts import parts
from . import join
from . import questions
from . import state as states

bp = Blueprint("classes", __name__, url_prefix="/api/classes")
MODES = {"follow": "following", "explore": "exploring", "watch": None}   # watch: a teacher's window, not counted
MAX_DRAWINGS = 500          # drawings a class keeps
MAX_DRAWINGS_EACH = 20      # drawings one device (client address) may send a class: one student cannot fill it
DRAWING_FIELDS = ("pixels", "prediction", "confidence", "at")    # what the teacher sees of one (no address)
PIXELS = C.IMAGE_SIZE * C.IMAGE_SIZE
CLIENT = re.compile(r"[A-Za-z0-9_-]{8,64}")   # a page's own id for its stream: its next stream replaces this one


def store():
    return parts().store


def hub():
    return parts().hub


def topic(code):
    return f"class:{code}"


def now():
    """The app's clock (config CLOCK: time.time, or a test's)."""
    return current_app.config["CLOCK"]()


def guesses():
    return parts().guesses


def guessed(code):
    """A class code as typed -> its canonical form ("" if it cannot be one); 429 for an address that guessed wrong
    too often."""
    guesses().check(request.remote_addr or "", now())
    return join.normalise(code) or ""


def wrong(message):
    """NotFound(message) for a code or id that names nothing here, counted as the address's wrong guess."""
    guesses().wrong(request.remote_addr or "", now())
    return NotFound(message)


def live_class(code):
    """The open class with this code (any case), or 404; 429 for an address that guessed wrong too often."""
    canonical = guessed(code)
    record = canonical and store().get_class(canonical, now())
    if not record:
        raise wrong(f"no class '{code}' is running here: it has ended, or the code is mistyped")
    return record


def authorised(record):
    """401 without a bearer token, 403 with someone else's."""
    token = join.bearer()
    if not token:
        raise Unauthorized("only the class's teacher may do this: send 'Authorization: Bearer <token>'")
    if not join.token_matches(token, record.token_hash):
        guesses().wrong(request.remote_addr or "", now())
        raise Forbidden("this token does not drive this class")


def state_event(seq, changed, state_json, at):
    """A state as the streams send it: the teacher's fields plus "age", ms from the teacher's change to at."""
    age = max(0, round((at - changed) * 1000))
    return sse.message(orjson.dumps({**orjson.loads(state_json), "age": age}).decode(), id=seq)


def counts_event(totals):
    """Presence totals (a dict, or JSON as published) -> the `counts` event: {"following", "exploring"}."""
    totals = json.loads(totals) if isinstance(totals, str) else totals
    return sse.message(json.dumps({"following": totals.get("following", 0), "exploring": totals.get("exploring", 0)}),
                       event="counts")


@bp.post("")
def create():
    """Start a class -> 201 {code, token, join_url, reachable, qr}."""
    body = json_body()
    if not isinstance(body, dict) or set(body) - {"state"}:
        raise BadRequest('expected {} or {"state": {...}}')
    state = states.dumps(states.validate(body.get("state", {})))
    token = join.new_token()
    for _ in range(5):              # 31^6 = 887 million codes: a clash with an open class is rare
        code = join.new_code()
        if not store().get_class(code, now()):
            break
    store().create_class(code, join.token_hash(token), state, request.remote_addr or "", now())   # or 429
    url, reachable = join.join_url(code)
    return {"code": code, "token": token, "join_url": url, "reachable": reachable,
            "qr": f"/api/classes/{code}/qr.svg"}, 201


@bp.get("/<code>")
def show(code):
    """The class's current state and counts (for a page that types in a code)."""
    record = live_class(code)
    counts = hub().counts(topic(record.code))
    return {"code": record.code, "state": json.loads(record.state), "seq": record.seq,
            "following": counts.get("following", 0), "exploring": counts.get("exploring", 0)}


@bp.put("/<code>")
def change(code):
    """The teacher's new state -> 204; every follower gets it."""
    record = live_class(code)
    authorised(record)
    state = states.dumps(states.validate(json_body()))
    at = now()
    seq = store().update_class(record.code, state, at)
    if seq is None:
        raise NotFound(f"class '{record.code}' has ended")
    store().publish(topic(record.code), "state", json.dumps([seq, at, state]))
    return "", 204


@bp.delete("/<code>")
def end(code):
    """End the class -> 204; every stream gets `event: end`."""
    record = live_class(code)
    authorised(record)
    end_class(store(), record.code)
    return "", 204


def end_class(s, code):
    """End the class in store s and tell its streams (once: a class already ended publishes nothing)."""
    if s.end_class(code):
        s.publish(topic(code), "end", "{}")


def end_expired(s):
    """A periodic job: end the classes that went too long without a change."""
    return lambda now: [end_class(s, code) for code in s.expired_classes(now)]


def catch_up(s, topic_, now):
    """What a class's streams may have missed while the store's events could not flow (hub.py): its state as a
    `state` event (each stream sends it only if it is newer than its last) and its latest question, or `end` if it
    is gone."""
    code = topic_.removeprefix("class:")
    record = s.get_class(code, now)
    if not record:
        return [("end", "{}")]
    return [("state", json.dumps([record.seq, record.changed, record.state])), *questions.latest(s, code)]


@bp.get("/<code>/events")
def events(code):
    """text/event-stream: the current state first (and the latest question), then every change, counts, drawings,
    questions and reveals, and the end; `store` {"ok": false} when the class store stops answering (nothing flows
    then), {"ok": true} when it is back.

    ?client=<id>: a page's own id. A new stream with it ends the page's older ones on every worker at once (a switch
    between follow and explore, a reconnect after a drop the server has not noticed), so counts stay true."""
    mode, client = request.args.get("mode", "follow"), request.args.get("client")
    if mode not in MODES:
        raise BadRequest(f"mode must be {', '.join(MODES)}")
    if client is not None and not CLIENT.fullmatch(client):
        raise BadRequest("client must be 8 to 64 letters, digits, '-' or '_'")
    record = live_class(code)
    h = hub()
    stream = h.open(topic(record.code), MODES[mode], request.remote_addr or "")   # first: no change is missed
    me = secrets.token_hex(8)
    try:                                # a store that fails here must not leave the stream open
        if client:
            store().publish(topic(record.code), "replace", json.dumps({"client": client, "stream": me}))
        record = store().get_class(record.code, now()) or record
        first = [state_event(record.seq, record.changed, record.state, now()),
                 counts_event(h.counts(topic(record.code))),
                 *(sse.message(data, event=event) for event, data in questions.latest(store(), record.code))]
    except BaseException:
        h.close(stream)
        raise
    relay = relay_for(client, me, record.seq, current_app.config["CLOCK"])
    return sse.response(h, stream, first, relay)


def relay_for(client, me, sent, clock):
    """relay(event, data) for one stream: each newer state, the counts, other events as they are; CLOSE when the
    same page (client) opened another stream (me is this stream's id); sent is the last state's seq sent."""
    def relay(event, data):
        nonlocal sent
        if event == "replace":
            other = json.loads(data)
            return sse.CLOSE if client and other["client"] == client and other["stream"] != me else None
        if event == "state":
            seq, changed, state = json.loads(data)
            if seq <= sent:
                return None
            sent = seq
            return state_event(seq, changed, state, clock())
        if event == "counts":
            return counts_event(data)
        return sse.message(data, event=event)
    return relay


@bp.get("/<code>/qr.svg")
def qr(code):
    """The join URL's QR code as SVG, for the teacher's panel and the projector."""
    record = live_class(code)
    return Response(join.qr_svg(join.join_url(record.code)[0]), mimetype="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@bp.post("/<code>/drawings")
def send_drawing(code):
    """A student's drawing for the teacher: {"pixels": base64 of the 28x28 network input as bytes} -> 201
    {"id", "prediction"}; the teacher's streams get `event: drawings` with the new count."""
    record = live_class(code)
    body = json_body()
    try:
        pixels = np.frombuffer(base64.b64decode(body["pixels"], validate=True), np.uint8)
    except (KeyError, TypeError, ValueError):
        raise BadRequest(f'expected {{"pixels": base64 of {PIXELS} bytes, the network input row by row}}') from None
    if pixels.size != PIXELS or set(body) != {"pixels"}:
        raise BadRequest(f'expected {{"pixels": base64 of {PIXELS} bytes, the network input row by row}}')
    x = mnist.scale(pixels.reshape(C.IMAGE_SIZE, C.IMAGE_SIZE))
    probabilities = parts().weights.model.predict_proba(x[None])[0]
    drawing = {"pixels": body["pixels"], "prediction": int(probabilities.argmax()),
               "confidence": round(float(probabilities.max()), 4), "at": round(now(), 3)}
    n = store().add_drawing(record.code, json.dumps(drawing), request.remote_addr or "", MAX_DRAWINGS,
                            MAX_DRAWINGS_EACH)                                  # or 429 past either limit
    if n is None:
        raise NotFound(f"class '{record.code}' has ended")
    store().publish(topic(record.code), "drawings", json.dumps({"count": n}))
    return {"id": n, "prediction": drawing["prediction"]}, 201


@bp.get("/<code>/drawings")
def list_drawings(code):
    """The drawings students sent, oldest first, each with its id (teacher only)."""
    record = live_class(code)
    authorised(record)
    sent = (json.loads(d) for d in store().drawings(record.code))
    return {"drawings": [{"id": i, **{k: d[k] for k in DRAWING_FIELDS}} for i, d in enumerate(sent, 1)]}
