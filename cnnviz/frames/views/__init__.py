"""One view per kind of stage, forward and backward: draw(scene, position) -> the picture, an RGB image."""

from . import cells, conv, dense, dense_back, digits, flatten, image, pool

FORWARD = {"input": image, "conv": conv, "pool": pool, "relu": cells, "sigmoid": cells, "flatten": flatten,
           "dense": dense, "softmax": digits}
BACKWARD = {"loss": digits, "softmax": digits, "dense": dense_back, "flatten": flatten, "pool": pool, "relu": cells,
            "sigmoid": cells, "conv": conv, "input": image}


def draw(s, pos):
    """The picture of scene s at pos (None: the finished stage)."""
    return (BACKWARD if s.backward else FORWARD)[s.kind].draw(s, pos)
