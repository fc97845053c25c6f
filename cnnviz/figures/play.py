"""An animation: a figure with one frame per position, a play and a pause button and a slider, as the page's player."""

import numpy as np
import plotly.graph_objects as go

from .base import MUTED, SIZE

CONTROLS = 86            # px under the panels for the buttons and the slider
BUTTONS = 200            # px of the play and pause buttons, left of the slider
FRAME_MS = 120           # a frame's time when playing: about 8 positions a second, the pace of the page's 10/s
STILL = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}


def frames(canvas, states, labels, start=0, frame_ms=FRAME_MS):
    """Make canvas.fig an animation of states (a State per position, labels its words); shows states[start], where
    ▶ Play goes on from."""
    fig = canvas.fig
    canvas.apply(states[start])
    changing = _changing(states)
    shapes = _changes([s.shapes for s in states])
    notes = _changes([canvas.notes(s) for s in states])
    fig.frames = [go.Frame(name=str(i), traces=list(changing), data=[
        _kind(fig, t) | {k: v for k, v in s.traces[t].items() if k in keys} for t, keys in changing.items()],
        layout={"shapes": shapes[i], "annotations": notes[i]}) for i, s in enumerate(states)]
    fig.layout.height += CONTROLS
    fig.layout.margin.b += CONTROLS
    play = {"frame": {"duration": frame_ms, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0},
            "mode": "immediate"}
    fig.layout.updatemenus = [{
        "type": "buttons", "direction": "left", "showactive": False, "x": 0, "xanchor": "left", "y": 0,
        "yanchor": "top", "pad": {"t": 44, "r": 8}, "font": {"size": SIZE},
        "buttons": [{"label": "▶ Play", "method": "animate", "args": [None, play]},
                    {"label": "❚❚ Pause", "method": "animate", "args": [[None], STILL]}]}]
    left = BUTTONS / canvas.w
    fig.layout.sliders = [{
        "active": start, "x": left, "len": 1 - left, "y": 0, "yanchor": "top", "pad": {"t": 30},
        "ticklen": 0, "minorticklen": 0, "tickwidth": 0, "font": {"color": "rgba(0,0,0,0)", "size": 1},
        "currentvalue": {"prefix": "", "font": {"size": SIZE, "color": MUTED}, "xanchor": "left"},
        "steps": [{"label": label, "method": "animate", "args": [[str(i)], STILL]} for i, label in enumerate(labels)]}]
    return fig


def _changing(states):
    """{trace index: the properties that change from one state to another}: a frame carries only those (Plotly.animate
    merges a frame's properties into the trace), the others stay as the first state set them."""
    changing = {}
    for t, props in states[0].traces.items():
        keys = [k for k, v in props.items() if any(not _same(v, s.traces[t][k]) for s in states[1:])]
        if keys:
            changing[t] = keys
    return changing


def _changes(lists):
    """Each state's shapes (or annotations) as its frame carries them: per item, only the properties that differ
    from one state to another ({} for an item that never changes). Plotly.animate merges a frame's shapes into the
    figure's item by item, so every state must have the same items with the same properties: a property one state
    lacked would stay as the state before left it."""
    first = lists[0]
    assert all(len(items) == len(first) and [sorted(a) for a in items] == [sorted(a) for a in first]
               for items in lists), "every position's shapes and notes must be alike but for their values"
    keys = [[k for k in item if any(items[n][k] != item[k] for items in lists[1:])] for n, item in enumerate(first)]
    return [[{k: item[k] for k in ks} for item, ks in zip(items, keys)] for items in lists]


def _same(a, b):
    return np.array_equal(a, b) if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) else a == b


def _kind(fig, index):
    """A frame's trace update names its type, as Plotly.animate expects."""
    return {"type": fig.data[index].type}
