"""A stage as a picture for slides: png(trace, stage, position) one picture, gif(trace, stage, position) its
animation, both drawn from the trace's recorded numbers only (a Trace, or a Backprop for the backward walk)."""

from . import encode, scene
from .positions import check, frame_positions, opening, parse
from .scene import stage_names
from .views import draw

DEFAULT_STAGE = "conv1"    # an export's stage when none is named: the first with arithmetic to watch
FRAME_MS = 900         # a frame's time: long enough to read its numbers aloud
LAST_MS = 3000         # the last frame (the finished stage, or the position asked for), held before the loop

__all__ = ["png", "gif", "gif_chunks", "check", "parse", "stage_names"]


def png(trace, stage, position=None):
    """The stage as one PNG: the finished stage, or at position (a (row, col) cell in every channel, or a
    vector's index, as positions.check says) with the map filled up to it."""
    s = scene.of(trace, stage)
    return encode.png(draw(s, check(stage, position, s.backward)))


def gif(trace, stage, position=None):
    """The stage's animation as a looping GIF: the positions in the page's order, then the finished stage (or
    up to position, and held there), opening on a frame worth printing (positions.opening)."""
    return b"".join(gif_chunks(trace, stage, position))


def gif_chunks(trace, stage, position=None, pause=None):
    """gif()'s bytes as they are made, frame by frame, with pause() run between frames. The arguments are
    checked before the first frame is drawn (ValueError), not when the first chunk is asked for."""
    s = scene.of(trace, stage)
    position = check(stage, position, s.backward)
    shown = frame_positions(stage, position, s.backward)
    durations = [FRAME_MS] * (len(shown) - 1) + [LAST_MS]
    start = opening(stage, shown, position, (trace.forward if s.backward else trace)["input"].output[0])
    shown, durations = shown[start:] + shown[:start], durations[start:] + durations[:start]
    return encode.gif_chunks((draw(s, p) for p in shown), durations, pause)
