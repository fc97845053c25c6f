"""Where a training run lives in the store, and for how long: the one vocabulary of the API and the runner.

  CURRENT            claimed (set if absent) with the id of the run that has not finished; the runner's heartbeat
                     keeps it, so a crashed runner frees it within CLAIM_SECONDS
  meta(id)           {"id", "params", "class", "status", "created", "pixels"} (+ "reason" once finished); status
                     starting|running|paused|complete|stopped|failed
  controls(id)       a log of {"action"} the API appends and the runner reads between batches
  history(id)        a log of the curves' points, for a page that connects late
  latest(id)         the newest progress event as the streams send it (with the weights: weights.py reads them)
  topic(id)          where progress is published; its streams count as WATCHING in the presence totals
"""

CURRENT = "training:current"
CLAIM_SECONDS = 20.0        # a run's claim lapses this long after its runner's last heartbeat (or its launch)
KEEP_SECONDS = 12 * 3600.0  # a run's records stay this long after their last change, as classes do
WATCHING = "watching"       # the kind of stream that keeps a run alive
FINISHED = ("complete", "stopped", "failed")   # a finished run: its last event has "done": true
ID_PREFIX = "run-"
ACCESS = ("local", "teachers", "nobody")   # cnnviz serve --training: who may train (access.py)


def meta(run_id):
    return f"training:{run_id}"


def controls(run_id):
    return f"training:{run_id}:controls"


def history(run_id):
    return f"training:{run_id}:history"


def latest(run_id):
    return f"training:{run_id}:latest"


def topic(run_id):
    return f"training:{run_id}"
