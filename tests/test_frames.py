"""cnnviz.frames: every stage, forward and backward, as a PNG and a looping GIF of slide size, drawn from the
trace's own numbers."""

import io

import numpy as np
import pytest
from PIL import Image

import cnnviz
from cnnviz import frames
from cnnviz.frames import scene
from cnnviz.format import fix, short
from cnnviz.frames.draw import SIZE
from cnnviz.frames.encode import MAX_GIF_BYTES
from cnnviz.frames.positions import MIN_FRAMES, frame_positions
from cnnviz.frames.views import cells, conv, pool

from .test_api import canvas_png

LABEL = 3       # the backward walk goes towards a wrong label: every gradient is far from zero


@pytest.fixture(scope="module")
def walks():
    """The forward trace and the backward walk of a drawn 1."""
    net = cnnviz.load()
    return {False: net.trace(canvas_png()), True: net.backprop(canvas_png(), LABEL)}


EVERY = [(False, name) for name in frames.stage_names(False)] + [(True, name) for name in frames.stage_names(True)]


def gif_frames(data):
    """A GIF's frames, composed as a viewer shows them, as RGB arrays; and its loop count."""
    img = Image.open(io.BytesIO(data))
    shown = []
    for i in range(img.n_frames):
        img.seek(i)
        shown.append(np.asarray(img.convert("RGB")))
    return shown, img.info.get("loop")


@pytest.mark.parametrize("backward, stage", EVERY, ids=[f"{'back-' if b else ''}{s}" for b, s in EVERY])
def test_every_stage_has_its_animation_and_its_picture(walks, backward, stage):
    """A looping GIF of at least 10 frames at slide size, under 2 MB, that moves; a PNG of the same size."""
    data = frames.gif(walks[backward], stage)
    assert data.startswith(b"GIF89a") and len(data) <= MAX_GIF_BYTES
    shown, loop = gif_frames(data)
    assert loop == 0 and len(shown) >= MIN_FRAMES
    assert shown[0].shape == (SIZE[1], SIZE[0], 3)
    assert not np.array_equal(shown[0], shown[-1])
    png = Image.open(io.BytesIO(frames.png(walks[backward], stage)))
    assert png.format == "PNG" and png.size == SIZE


def picture(walk, stage, position):
    return np.asarray(Image.open(io.BytesIO(frames.png(walk, stage, position))).convert("RGB"))


def alike(frame, png):
    """A GIF's frame is that PNG, in the GIF's 255 colours."""
    return np.abs(frame.astype(int) - png).mean() < 8


def test_a_gif_at_a_position_opens_on_it_and_streams_as_it_draws(walks):
    """gif_chunks yields the header first, then a frame at a time, pausing between frames; its first frame is the
    PNG of that position (what a printed slide shows), then the loop runs from the first position up to it."""
    pauses = []
    chunks = frames.gif_chunks(walks[False], "conv2", (4, 5), lambda: pauses.append(1))
    first = next(chunks)
    assert first.startswith(b"GIF89a") and pauses == []
    data = first + b"".join(chunks)
    shown, _ = gif_frames(data)
    assert len(pauses) == len(shown) == len(frame_positions("conv2", (4, 5), False)) >= MIN_FRAMES
    assert alike(shown[0], picture(walks[False], "conv2", (4, 5)))
    assert alike(shown[1], picture(walks[False], "conv2", (0, 0)))
    assert Image.open(io.BytesIO(data)).info["duration"] == frames.LAST_MS          # held, as at the loop's end


def test_a_gif_opens_on_the_first_window_on_the_digit_s_ink_not_on_black(walks):
    """Frame 0 is what a slide's PDF, a handout or a thumbnail shows: conv1's first position in the page's order with
    a product that is not 0, the map filled up to it; the frames, the finished stage among them, are the same loop."""
    t = walks[False]
    products = t["conv1"].details["products"]                                     # (F, oh, ow, C, k, k)
    order = frame_positions("conv1", None, False)
    start = next(i for i, p in enumerate(order) if p and products[:, p[0], p[1]].any())
    assert start > 0
    shown, loop = gif_frames(frames.gif(t, "conv1"))
    assert loop == 0 and len(shown) == len(order)
    assert alike(shown[0], picture(t, "conv1", order[start]))
    assert alike(shown[len(order) - start - 1], picture(t, "conv1", None))           # the finished stage
    assert alike(shown[len(order) - start], picture(t, "conv1", order[0]))           # then from the start again


def test_a_pool_window_s_cells_are_shaded_as_its_map(walks, monkeypatch):
    """The window's cells take the colours of the input map beside them (its scale, which the legend names), not a
    scale of the window's own."""
    looks = []
    monkeypatch.setattr(pool, "window_cells", lambda *args: looks.append(args[-1]))
    frames.png(walks[False], "pool1", (3, 4))
    x = walks[False]["pool1"].input
    assert looks == [("sequential", 0.0, float(np.abs(x).max()))] * len(x)


@pytest.mark.parametrize("backward, stage, position, words", [
    (False, "conv9", None, "the stages are input, conv1"),
    (False, "loss", None, "no stage 'loss'"),
    (False, "conv1", (24, 0), "row from 0 to 23"),
    (False, "conv1", 3, "a cell (row, col)"),
    (False, "pool2", (1, 2, 3), "row from 0 to 4"),
    (False, "dense", (1, 2), "an index from 0 to 9"),
    (False, "softmax", 10, "an index from 0 to 9"),
    (True, "dense", 100, "an index from 0 to 99"),
    (True, "flatten", (2, 3), "an index from 0 to 99"),
    (False, "input", (True, 1), "a cell"),
])
def test_bad_arguments_say_what_is_allowed(walks, backward, stage, position, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        frames.png(walks[backward], stage, position)


def test_only_traces_are_drawn():
    with pytest.raises(ValueError, match="cnnviz Trace"):
        frames.png(np.zeros((28, 28)), "conv1")


def test_numbers_are_written_as_the_page_writes_them():
    assert [fix(v) for v in (1.23456, -0.00001, 0, -2.5)] == ["1.2346", "0.0000", "0.0000", "-2.5000"]
    assert [short(v) for v in (1.23456, -0.00001, 0, 4.08e-11)] == ["1.2346", "-1.000e-5", "0.0000", "4.080e-11"]


def test_the_conv_picture_s_numbers_are_the_trace_s(walks):
    """At a position, each product cell, the sum, the bias and the output are the trace's numbers, as written."""
    t = walks[False]
    st, s = t["conv2"], scene.of(t, "conv2")
    f, c, r, col = 2, 1, 4, 5
    tops, values, _ = conv.cells(st, None, f, c, r, col)
    np.testing.assert_array_equal(values, st.details["products"][f, r, col, c])
    w, x = st.params["weight"][f, c, 0, 2], st.input[c, r, col + 2]
    assert tops[0][2] == f"{fix(w, 2)}x{fix(x, 2)}"
    assert conv.sums(st, None, f, r, col) == (f"sum {fix(st.details['sums'][f, r, col])} + bias "
                                              f"{fix(st.params['bias'][f])}", f"= {fix(st.output[f, r, col])}")
    assert s.stage is st and s.before is t["pool1"]


def test_the_backward_pictures_numbers_are_the_walk_s(walks):
    b = walks[True]
    conv1 = b["conv1"]
    tops, values, _ = conv.cells(b.forward["conv1"], conv1, 1, 0, 7, 9)
    np.testing.assert_array_equal(values, conv1.details["accumulated"][1, 7, 9, 0])
    sig = scene.of(b, "sigmoid2")
    d, slope, out = (sig.line.grad_output[2, 3, 4], sig.line.details["slope"][2, 3, 4], sig.line.grad_input[2, 3, 4])
    assert cells.back_line(sig, 2, 3, 4) == f"delta {short(d)} x s(1-s) {short(slope)} = {short(out)}"
    dense = scene.of(b, "dense")
    assert dense.line is b["dense"] and dense.stage is b.forward["dense"] and dense.before is b.forward["flatten"]
