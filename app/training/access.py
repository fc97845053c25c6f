"""Who may train: a training keeps the server's cores busy, so not any student. The rule (config TRAINING, from
`cnnviz serve --training`): "local" (the default) lets anyone on the machine running the server (the socket's peer
is loopback: never a forwarded header) and the teacher of a class started on it (anyone may start a class, so a
class started from a student's phone carries no right to train); "teachers" any class's teacher (behind a proxy,
where every peer looks local); "nobody" turns training off."""


from flask import current_app, request

from ..classes import join
from ..errors import Forbidden
from ..lan import is_loopback
from ..parts import parts


def mode():
    return current_app.config.get("TRAINING") or "local"


def teacher_of(code):
    """The class code (canonical) whose teacher sent this request's bearer token, or None."""
    token, canonical = join.bearer(), isinstance(code, str) and join.normalise(code)
    if not token or not canonical:
        return None
    guesses, now, address = parts().guesses, current_app.config["CLOCK"](), request.remote_addr or ""
    guesses.check(address, now)
    record = parts().store.get_class(canonical, now)
    if not record or not join.token_matches(token, record.token_hash):
        guesses.wrong(address, now)
        return None
    return canonical if mode() == "teachers" or is_loopback(record.address) else None


def allowed(code=None):
    """Check that this request may start or drive a training: returns the teacher's class code (None for someone
    on this machine); 403 with what would be allowed otherwise."""
    how = mode()
    if how == "nobody":
        raise Forbidden("training is turned off on this server (cnnviz serve --training nobody)")
    teacher = teacher_of(code)
    if teacher:
        return teacher
    if how == "local" and is_loopback(request.environ.get("REMOTE_ADDR", "")):
        return None
    who = "a class's teacher" if how == "teachers" else "someone on the computer running cnnviz, or a class's teacher"
    raise Forbidden(f"only {who} may train here (a teacher sends 'Authorization: Bearer <class token>' and the "
                     "class's code as \"class\")")
