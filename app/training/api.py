"""The training API: start a run (one at a time), follow its progress over server-sent events, pause, resume, step
and stop it. Runs live in the store, so any worker or instance answers for any run; the runner is a process."""

import json
import secrets
import time

from flask import Blueprint, current_app, request

from ...cnn import mnist, train
from ...cnn.train import steps_per_epoch

from .. import sse
from ..models import card
from ..parts import parts
from ..body import json_body
from ..errors import BadRequest, Conflict, Forbidden, MissingData, NotFound
from . import access, keys, params, progress
from .launch import launch

bp = Blueprint("training", __name__, url_prefix="/api/training")
ACTIONS = ("pause", "resume", "step")
STOP_WAIT_SECONDS = 3.0      # DELETE waits this long for the runner to finish before freeing the claim itself


def store():
    return parts().store


def hub():
    return parts().hub


def data_dir():
    return current_app.config.get("MNIST_DIR") or mnist.DEFAULT_DIR


def run_meta(run_id):
    """The run's record, or 404."""
    text = run_id.startswith(keys.ID_PREFIX) and store().get(keys.meta(run_id))
    if not text:
        raise NotFound(f"no training '{run_id}' here: it has ended long ago, or the id is mistyped")
    return json.loads(text)


def check_mnist():
    try:
        for name in mnist.FILES:
            mnist.find(data_dir(), name)
    except mnist.DataError:
        raise MissingData(f"MNIST is not on this server (looked in {data_dir()}): run `cnnviz get-mnist` on it, "
                         "then try again") from None


def first_event(chosen, pixels):
    """Event 1: the untrained weights the runner's Training starts from, sent before the runner has loaded MNIST,
    so the page has something within milliseconds."""
    recipe = params.recipe(chosen)
    per_epoch = steps_per_epoch(progress.TRAIN_IMAGES, recipe.batch_size)
    return progress.event(1, "starting", train.start(recipe.seed)[1], pixels,
                          progress.start_point(per_epoch, per_epoch * recipe.epochs))


@bp.get("")
def overview():
    """What the page needs before it trains: the defaults (the model card's recipe), the limits, whether this
    client may train (without a class token) and the run under way, if any."""
    try:
        access.allowed()
        may, why = True, None
    except Forbidden as e:
        may, why = False, str(e)
    limits = {name: {"min": low, "max": high} for name, (_, _, low, high) in params.FIELDS.items()}
    return {"defaults": params.defaults(card()), "limits": limits,
            "allowed": may, "why": why, "current": store().get(keys.CURRENT)}, {"Cache-Control": "no-store"}


@bp.post("")
def start():
    """{"epochs", "batch_size", "learning_rate", "seed"} (+ "pixels", "class") -> 201 {"id"}; 409 if one runs."""
    body = json_body()
    teacher = access.allowed(body.get("class") if isinstance(body, dict) else None)
    chosen, pixels = params.parse(body, card())
    check_mnist()
    run_id = keys.ID_PREFIX + secrets.token_hex(8)
    s = store()
    if not s.claim(keys.CURRENT, run_id, keys.CLAIM_SECONDS):
        other = s.get(keys.CURRENT)
        raise Conflict(f"another training ({other}) is under way: stop it first (DELETE /api/training/{other})")
    meta = {"id": run_id, "params": chosen, "class": teacher, "status": "starting", "created": time.time(),
            "pixels": None if pixels is None else pixels.tolist()}
    s.put(keys.meta(run_id), json.dumps(meta), keys.KEEP_SECONDS)
    evt = first_event(chosen, pixels)
    s.put(keys.latest(run_id), json.dumps(evt, separators=(",", ":")), keys.KEEP_SECONDS)
    s.append(keys.history(run_id), json.dumps(progress.curve_point(evt)), keys.KEEP_SECONDS)
    launch(s, s.url, run_id, data_dir())
    return {"id": run_id, **chosen}, 201


@bp.get("/<run_id>")
def show(run_id):
    """The run's parameters and status."""
    meta = run_meta(run_id)
    return {k: meta[k] for k in ("id", "params", "status", "class")}


@bp.post("/<run_id>")
def control(run_id):
    """{"action": "pause" | "resume" | "step"} -> 202; the runner acts on it before its next batch."""
    meta = run_meta(run_id)
    body = json_body()
    access.allowed(meta["class"])         # as DELETE: its own class's teacher, or this machine for a run started here
    if not isinstance(body, dict) or body.get("action") not in ACTIONS or set(body) - {"action", "class"}:
        raise BadRequest(f'expected {{"action": one of {", ".join(ACTIONS)}}}')
    if meta["status"] in keys.FINISHED:
        raise Conflict(f"training '{run_id}' has finished ({meta['status']})")
    store().append(keys.controls(run_id), json.dumps({"action": body["action"]}), keys.KEEP_SECONDS)
    return {"id": run_id, "action": body["action"]}, 202


@bp.delete("/<run_id>")
def stop(run_id):
    """Stop the run -> 204 once its runner has sent the final event (or has gone); a finished run stays as it is."""
    meta = run_meta(run_id)
    access.allowed(meta["class"])
    s = store()
    if meta["status"] not in keys.FINISHED and s.get(keys.CURRENT) == run_id:
        stream = hub().open(keys.topic(run_id), None, request.remote_addr or "")   # first: its end is not missed
        try:
            s.append(keys.controls(run_id), json.dumps({"action": "stop"}), keys.KEEP_SECONDS)
            ended(stream, time.monotonic() + STOP_WAIT_SECONDS)
        finally:
            hub().close(stream)
    if s.get(keys.CURRENT) == run_id:              # its runner is gone (or never started): free the claim here
        s.drop(keys.CURRENT)
        meta.update(status="stopped", reason="stopped")
        s.put(keys.meta(run_id), json.dumps(meta), keys.KEEP_SECONDS)
    return "", 204


def ended(stream, deadline):
    """Wait on a run's events until its end (the runner frees its claim first), or until the deadline."""
    while (left := deadline - time.monotonic()) > 0:
        got = stream.get(left)
        if got and got[0] == "end":
            return


@bp.get("/<run_id>/events")
def events(run_id):
    """text/event-stream: `event: history` (the curves so far), the newest progress, then every progress event
    as `data:` JSON; the last has "done": true (and the stream ends)."""
    run_meta(run_id)
    h = hub()
    stream = h.open(keys.topic(run_id), keys.WATCHING, request.remote_addr or "")   # before reading: none missed
    try:                                                          # a store that fails must not leave it open
        points = [json.loads(p) for p in store().items(keys.history(run_id))]
        latest = store().get(keys.latest(run_id))
    except BaseException:
        h.close(stream)
        raise
    newest = json.loads(latest) if latest else {"seq": 0}
    sent = newest["seq"]
    first = [sse.message(json.dumps({"points": points}, separators=(",", ":")), event="history")]
    if latest:
        first.append(sse.message(latest, id=sent))
    if newest.get("done"):
        stream.put("end", None)                                   # a finished run's stream ends at once

    def relay(event, data):
        nonlocal sent
        if event not in ("progress", "end") or data is None:
            return None
        seq = json.loads(data).get("seq", sent + 1)
        if seq <= sent:
            return None
        sent = seq
        return sse.message(data, id=seq)

    return sse.response(h, stream, first, relay)


def catch_up(s, topic):
    """What a run's streams may have missed while the store's events could not flow (hub.py): its newest event
    (each stream sends it only if newer than its last; a final one ends them)."""
    latest = s.get(keys.latest(topic.removeprefix(keys.topic(""))))
    return [("end" if json.loads(latest).get("done") else "progress", latest)] if latest else []
