"""Where a picture is: a position is a cell (row, col) of a stage's maps, in every channel at once, or an index
into a vector (flatten's place, a digit for dense and softmax), as the Python API's figures take them; an animation
shows a sample of them in the page's order."""

import math

import numpy as np

from ..cnn import config as C

from .scene import KINDS, stage_names

MAX_FRAMES = 30        # positions an animation shows at most, sampled evenly over the rows and columns
MIN_FRAMES = 10        # frames an animation has at least (the last one held again if there are fewer)
SHAPES = {name: shape for name, _, shape in C.STAGES}


def grid(name, backward):
    """What a position is in this stage's pictures: (rows, cols) of its maps, or n, the length of a vector."""
    kind = KINDS[name]
    if kind == "loss" or kind == "softmax":
        return C.NUM_CLASSES                                   # a digit
    if kind == "dense":
        return C.FLAT if backward else C.NUM_CLASSES           # backward, each input's gradient in turn
    if kind == "flatten":
        return C.FLAT                                          # a place in the vector, as the page steps through it
    return SHAPES[name][1:]                                    # a cell of the stage's output maps


def describe(g):
    """What a position of grid g is, in words."""
    if isinstance(g, int):
        return f"an index from 0 to {g - 1}"
    return f"a cell (row, col), row from 0 to {g[0] - 1} and col from 0 to {g[1] - 1}"


def parse(text):
    """A position as people type it: "3,4" -> (3, 4), "7" -> 7; ValueError for anything else."""
    parts = text.split(",")
    if len(parts) > 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"a position is ROW,COL (e.g. 3,4) or an INDEX (e.g. 7), got {text!r}")
    numbers = tuple(int(p) for p in parts)
    return numbers[0] if len(numbers) == 1 else numbers


def check(name, position, backward=False):
    """position for stage name as the pictures take it: None, an int index, or a (row, col) tuple of ints;
    ValueError says what this stage takes."""
    if name not in stage_names(backward):
        raise ValueError(f"no stage '{name}': the stages are {', '.join(stage_names(backward))}")
    if position is None:
        return None
    g = grid(name, backward)
    wanted = f"{name} takes as its position {describe(g)}"
    if isinstance(g, int):
        if isinstance(position, (tuple, list)) and len(position) == 1:
            position = position[0]
        if not is_int(position) or not 0 <= position < g:
            raise ValueError(f"{wanted}, got {position!r}")
        return int(position)
    if not isinstance(position, (tuple, list)) or len(position) != 2 or not all(map(is_int, position)) \
            or not all(0 <= p < n for p, n in zip(position, g)):
        raise ValueError(f"{wanted}, got {position!r}")
    return tuple(int(p) for p in position)


def is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def frame_positions(name, position, backward):
    """The positions an animation of stage name shows, in order, ending with None (the finished stage) or, if
    given, position itself; at least MIN_FRAMES long."""
    g = grid(name, backward)
    if isinstance(g, int):
        every = sorted({round(i * (g - 1) / (min(g, MAX_FRAMES) - 1)) for i in range(min(g, MAX_FRAMES))})
        shown = [i for i in every if position is None or i < position]
    else:
        h, w = g
        per_side = math.isqrt(MAX_FRAMES)
        rows = spread(h, per_side)
        cols = spread(w, MAX_FRAMES // len(rows))
        shown = [(r, c) for r in rows for c in cols if position is None or (r, c) < position]
    shown.append(position)
    return shown + [position] * (MIN_FRAMES - len(shown))


def opening(name, shown, position, digit):
    """Where the frames shown start, so that a GIF opens on a frame worth printing (a slide's PDF, a handout and many
    viewers' thumbnails show its first frame only): at the position asked for, else at the first computed from some
    of the digit's ink, not a window on black with every product 0 (digit: the (28, 28) input). The loop itself is
    the same, only turned. -> the index in shown to start from."""
    if position is not None:
        return shown.index(position)
    return next((i for i, p in enumerate(shown) if isinstance(p, tuple) and sees_ink(name, p, digit)), 0)


def sees_ink(name, cell, digit):
    """Whether cell (row, col) of stage name's maps is computed from any ink: the pixels under its window, traced
    back through every stage to the input (its receptive field), are not all 0."""
    (r0, c0), (r1, c1) = cell, cell
    for stage, kind, _ in reversed(C.STAGES[:C.STAGE_NAMES.index(name) + 1]):
        if kind == "conv":                                     # a k x k window: k - 1 more rows and columns
            k = C.PARAM_SHAPES[f"{stage}.weight"][-1]
            r1, c1 = r1 + k - 1, c1 + k - 1
        elif kind == "pool":                                   # each cell was a POOL x POOL window
            r0, c0, r1, c1 = r0 * C.POOL, c0 * C.POOL, (r1 + 1) * C.POOL - 1, (c1 + 1) * C.POOL - 1
    return bool(np.any(digit[r0:r1 + 1, c0:c1 + 1]))


def spread(n, k):
    """k indices from 0 to n - 1, evenly spread (all of them if n <= k)."""
    if n <= k:
        return list(range(n))
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})
