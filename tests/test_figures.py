"""The figures hold the stage's own numbers, read back out of their data; a position shows that position's arithmetic;
an animation has a frame per position; bad stages and positions raise ValueError saying what is allowed."""

import json

import numpy as np
import pytest

import cnnviz
from cnnviz import figures
from cnnviz.cnn import config as C
from cnnviz.figures.base import WIDTH, fix, short
from cnnviz.frames.scales import PENDING
from cnnviz.walkthrough import plotly_js

from .test_api import canvas_png

BACKWARD = [n for n in figures.BACKWARD_NAMES if n not in ("loss", "step")]


@pytest.fixture(scope="module")
def walks():
    net = cnnviz.load()
    return net.trace(canvas_png()), net.backprop(canvas_png(), 3)


def arrays(fig):
    """Every z, y and customdata array of the figure's traces."""
    found = []
    for trace in fig.data:
        for key in ("z", "y", "customdata"):
            value = getattr(trace, key, None)
            if value is not None and not isinstance(value, str):
                found.append(np.asarray(value))
    return found


def holds(fig, a):
    """Whether the figure's data holds the array a exactly (a 1 x n map counts as the vector)."""
    a = np.asarray(a)
    return any(b.size == a.size and b.dtype != object and np.array_equal(b.reshape(a.shape), a) for b in arrays(fig))


def notes(fig):
    return " ".join(a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("name", C.STAGE_NAMES)
def test_a_forward_figure_holds_every_map_of_its_stage(walks, name):
    t = walks[0]
    fig = t.figure(name)
    out = t[name].output
    for m in (out if out.ndim == 3 else [out]):
        assert holds(fig, m)


@pytest.mark.parametrize("name", BACKWARD)
def test_a_backward_figure_holds_its_gradients(walks, name):
    """∂L/∂output, ∂L/∂input and the parameters' gradients (a conv's ∂L/∂input is the next stage's map; softmax's
    ∂L/∂p, −1/p at the label, and a conv's ∂L/∂bias are in their words)."""
    b = walks[1]
    fig = b.figure(name)
    line = b[name]
    shown = [line.grad_output, line.grad_input, *line.grads.values()]
    if line.kind == "conv":                                   # its bias's gradients are in its words
        shown = [a for a in shown if a is not line.grad_input and a is not line.grads["bias"]]
        assert all(short(g) in notes(fig) for g in line.grads["bias"])
    if line.kind == "softmax":
        shown.pop(0)
        assert fix(line.grad_output[3]) in notes(fig)
    for g in filter(lambda a: a is not None, shown):
        maps = (g.reshape(-1, *g.shape[-2:]) if g.ndim >= 3 else                 # each channel, each kernel
                g.reshape(b.forward["flatten"].input.shape) if g.size == C.FLAT else [g])   # folded to the maps
        assert holds(fig, g) or all(holds(fig, m) for m in maps), f"{name}: an array of shape {g.shape} is missing"


def test_the_loss_and_the_step_hold_their_numbers(walks):
    b = walks[1]
    assert holds(b.figure("loss"), b.probabilities)
    assert f"{b.loss:.4f}" in notes(b.figure("loss"))
    step = b.figure("step")
    assert holds(step, b.step.probabilities) and holds(step, b.step.params["conv1.weight"][0, 0])


def test_a_conv_position_shows_each_filter_s_products_sum_bias_and_output(walks):
    s = walks[0]["conv1"]
    fig = walks[0].figure("conv1", position=(3, 4))
    words = notes(fig)
    for f in range(C.CONV1_FILTERS):
        assert holds(fig, s.details["products"][f, 3, 4, 0])
        assert holds(fig, np.stack([s.params["weight"][f, 0], s.input[0, 3:8, 4:9]], -1))
        for v in (s.details["sums"][f, 3, 4], s.params["bias"][f], s.output[f, 3, 4]):
            assert fix(v) in words


def test_conv2_s_position_shows_both_input_channels_of_every_filter(walks):
    s = walks[0]["conv2"]
    fig = walks[0].figure("conv2", position=(2, 1))
    for f in range(C.CONV2_FILTERS):
        for c in range(C.CONV1_FILTERS):
            assert holds(fig, s.details["products"][f, 2, 1, c])


def test_a_pool_position_shows_each_window_and_its_largest(walks):
    s = walks[0]["pool1"]
    fig = walks[0].figure("pool1", position=(5, 6))
    for c in range(C.CONV1_FILTERS):
        assert holds(fig, s.input[c, 10:12, 12:14])
        assert f"largest: <b>{fix(s.output[c, 5, 6])}</b>" in notes(fig)


def test_a_dense_position_shows_one_digit_s_contributions(walks):
    s = walks[0]["dense"]
    fig = walks[0].figure("dense", position=7)
    assert holds(fig, s.details["contributions"][7])
    assert fix(s.details["sums"][7]) in notes(fig) and fix(s.output[7]) in notes(fig)


def test_a_backward_conv_position_shows_the_products_and_running_sums(walks):
    line = walks[1]["conv1"]
    fig = walks[1].figure("conv1", position=(23, 23))
    for f in range(C.CONV1_FILTERS):
        assert holds(fig, line.details["weight_products"][f, 23, 23, 0])
        assert f"Σ {fix(line.grads['weight'][f, 0, 0, 0])}" in str(fig.data)       # the last running sums
    assert "= ∂L/∂bias" in notes(fig)


def test_an_animation_has_a_frame_per_position(walks):
    s = walks[0]["conv2"]
    fig = walks[0].animation("conv2")
    assert len(fig.frames) == len(fig.layout.sliders[0].steps) == C.CONV2_SIZE ** 2
    frame = fig.frames[2 * C.CONV2_SIZE + 1]                         # row 2, column 1
    assert any(np.array_equal(np.asarray(d.z), s.details["products"][0, 2, 1, 0]) for d in frame.data)
    assert fig.layout.updatemenus[0].buttons[0].method == "animate"


def shown(walk):
    """One figure of every stage of a walk, at a position where it has some, and the stage's name."""
    for name in figures.names(walk):
        v = figures.view(walk, name)
        where = tuple(n * 2 // 5 for n in v.module.positions(v))
        yield name, figures.figure(walk, name, (where if len(where) > 1 else where[0]) if where else None)


OUTSIDE = """() => [...document.querySelectorAll('.annotation-text, .gtitle, .g-xtitle, .g-ytitle, .xtick, .ytick')]
  .filter(t => { const r = t.getBoundingClientRect(), s = t.closest('svg').getBoundingClientRect();
                 return r.width && (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1
                                    || r.bottom > s.bottom + 1); })
  .map(t => t.textContent)"""


@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
def test_every_figure_fits_a_laptop_s_notebook_and_cuts_no_words(walks, page, backward):
    """At most 960 px wide (JupyterLab's column on a 1366 px laptop, its file browser open), its title, captions and
    notes drawn by plotly.js inside the figure, none cut at its edge."""
    page.set_content(f"<div id=f></div><script>{plotly_js()}</script>")
    for name, fig in shown(walks[backward]):
        assert fig.layout.width <= WIDTH, name
        page.evaluate("f => Plotly.newPlot('f', f.data, f.layout)", json.loads(fig.to_json()))
        assert page.evaluate(OUTSIDE) == [], name


def test_a_figure_alone_is_titled_without_the_walk_through_s_number(walks):
    t, b = walks
    assert t.figure("conv1").layout.title.text.startswith("<span style='font-size:20px'><b>conv1 → 2×24×24</b>")
    assert "<b>conv1 ← ∂L/∂ 2×24×24, towards 3</b>" in b.figure("conv1").layout.title.text
    assert figures.view(b, "conv1").heading == "10. conv1 ← ∂L/∂ 2×24×24"


def test_the_cells_not_computed_yet_are_grey_as_in_the_gifs(walks):
    """A map building up masks the cells after the position grey, not white (0 on a diverging scale)."""
    fig = walks[0].figure("conv1", position=(3, 4))
    masks = [s for s in fig.layout.shapes if s.fillcolor]
    assert len(masks) == C.CONV1_FILTERS and all(s.fillcolor == PENDING for s in masks)
    assert masks[0].path == "M4.5,2.5H23.5V23.5H-0.5V3.5H4.5Z"                  # the rest of row 3, the rows under it


def test_an_animation_s_frames_carry_only_what_changes(walks):
    """Each frame: the products and the window under it (not the weights, the same in every frame), the masks' paths
    and the outlines' places, the lines' words; each exact factor still on hover."""
    fig = walks[0].animation("conv1")
    frame = fig.frames[5 * C.CONV1_SIZE + 9]                                  # row 5, column 9
    assert {k for d in frame.data for k in d.to_plotly_json()} == {"type", "z", "customdata"}
    shapes = frame.layout.shapes
    assert len(shapes) == len(fig.layout.shapes) and {k for s in shapes for k in s.to_plotly_json()} <= {
        "x0", "x1", "y0", "y1", "path"}
    assert [set(a.to_plotly_json()) for a in frame.layout.annotations] == [{"text"}] * C.CONV1_FILTERS
    grid = fig.data[1]
    assert "weight %{text} × input %{customdata:.7g}" in grid.hovertemplate
    assert grid.text[0][0] == f"{walks[0]['conv1'].params['weight'][0, 0, 0, 0]:.7g}"


def test_an_animation_opens_on_the_first_window_on_the_digit_s_ink(walks):
    """As the GIFs do: not on a window on black with every product 0; ▶ Play goes on from there."""
    t = walks[0]
    fig = t.animation("conv1")
    products = t["conv1"].details["products"]                                    # (F, oh, ow, C, k, k)
    first = next(n for n, (i, j) in enumerate(np.ndindex(*products.shape[1:3])) if products[:, i, j].any())
    assert first > 0 and fig.layout.sliders[0].active == first
    i, j = divmod(first, C.CONV1_SIZE)
    assert np.array_equal(np.asarray(fig.data[1].z), products[0, i, j, 0])
    assert fig.layout.updatemenus[0].buttons[0].args[1]["fromcurrent"]


def test_the_step_animates_before_and_after(walks):
    fig = walks[1].animation("step")
    assert [s.label for s in fig.layout.sliders[0].steps] == ["before the step", "after the step"]


@pytest.mark.parametrize("call, message", [
    (lambda t, b: t.figure("conv3"), "the stages are input, conv1"),
    (lambda t, b: t.figure("loss"), "no stage 'loss'"),
    (lambda t, b: t.figure("conv1", position=(24, 0)), "row in 0..23 and column in 0..23"),
    (lambda t, b: t.figure("conv1", position=(1, 2, 3)), "(row, column)"),
    (lambda t, b: t.figure("conv1", position=3), "(row, column)"),
    (lambda t, b: t.figure("dense", position=10), "an index 0..9"),
    (lambda t, b: t.figure("pool2", position=(-1, 0)), "row in 0..4"),
    (lambda t, b: t.figure("input", position=(1, 1)), "input has no positions"),
    (lambda t, b: b.figure("flatten", position=100), "an index 0..99"),
    (lambda t, b: b.animation("loss"), "the stages that animate are softmax"),
])
def test_bad_stages_and_positions_raise_value_error_saying_what_is_allowed(walks, call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        call(*walks)
