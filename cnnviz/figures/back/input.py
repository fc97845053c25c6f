"""The input backwards: ∂L/∂pixels, which pixels, made brighter or darker, move the answer towards the label: the
gradient the walk ends with. Beside it the digit itself."""

from ...cnn import config as C
from ..base import MUTED, ROOM, SIZE, Canvas, diverging
from ..words import text_height

MAP = 240
WORDS_X = 2 * MAP + 100   # px from the left of the words beside the maps


def positions(v):
    return ()


def caption(v):
    L, (_, h, w) = C.CLASS_LABELS[v.walk.label], v.line.grad_output.shape
    return f"The gradient on each of the {h * w} pixels: how the loss towards {L} changes as that pixel brightens."


def legends(v):
    return ["gradient", "image"]


def build(v, title, mode):
    """The digit and ∂L/∂pixels side by side -> (canvas, None)."""
    x, g = v.forward.output[0], v.line.grad_output[0]             # (28, 28) each
    L = C.CLASS_LABELS[v.walk.label]
    words = "<br><br>".join([
        "<b>∂L/∂pixels: what the digit itself would have to change</b>",
        f"Red: making that pixel brighter raises the loss, the digit looks less like a {L} to the network; blue: "
        f"brighter lowers it, more like a {L}. White pixels do not matter to it here.",
        "Training changes the weights, not the digit: this map is the last step of the chain rule, through every "
        "stage back to the pixels. Nudging the pixels against it is how an “adversarial” digit is made: it fools the "
        "network while a person sees the same digit."])
    canvas = Canvas(ROOM, SIZE + 8 + max(MAP, text_height(words, ROOM - WORDS_X, SIZE - 1)), title)
    p = canvas.panel(0, SIZE + 8, MAP, MAP, title=f"the input {x.shape[0]}×{x.shape[1]}", rows=x.shape[0],
                     cols=x.shape[1])
    canvas.heatmap(p, x, scale_name="image", zrange=(0, 1), name="pixel")
    q = canvas.panel(MAP + 24, SIZE + 8, MAP, MAP, title="∂L/∂pixel", rows=g.shape[0], cols=g.shape[1])
    canvas.heatmap(q, g, scale_name=diverging(g)[0], zrange=diverging(g)[1], name="∂L/∂pixel",
                   bar=(2 * MAP + 32, SIZE + 8, MAP))
    canvas.fig.add_annotation(canvas.note(WORDS_X, SIZE + 8, words, size=SIZE - 1,
                                          font={"size": SIZE - 1, "color": MUTED}))
    return canvas, None
