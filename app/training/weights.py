"""A run's weights for ?weights=<run id> on the trace and predict APIs: the newest the runner kept (the final ones
once it has finished), loaded per process and again only when the run has moved on."""

import json

from ...cnn import Model
from ...cnn.serialize import decode

from ..parts import parts
from . import keys


def run_model(weights_id):
    """The Model of the run with this id as it now stands; None when no run has weights under this id
    (models.model_for asks)."""
    if not weights_id.startswith(keys.ID_PREFIX):
        return None
    text = parts().store.get(keys.latest(weights_id))
    if text is None:
        return None
    evt = json.loads(text)
    if "weights" not in evt:                                        # a run that failed before it had any
        return None
    loaded = parts().weights.runs                                   # id -> its Model, as of the step seq
    return loaded.get(weights_id, evt["seq"]) or loaded.put(
        weights_id, evt["seq"], Model({k: decode(v) for k, v in evt["weights"].items()}))
