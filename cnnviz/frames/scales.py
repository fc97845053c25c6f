"""The page's colour scales as NumPy lookups: a value array -> RGB bytes, as the page's heatmaps colour it. The
scales, the highlight colours and the legends are the page's own, from cnnviz/colors.json."""

import numpy as np

from ..colors import colors

SCALES = colors()["scales"]        # diverging, sequential, image: [[stop, "#rrggbb"], ...]
COLOURS = colors()["colours"]      # by use: window, current, maximum, prediction, bar, positive, negative, curve
LEGEND = colors()["legends"]       # the words under a stage for each scale it uses
PENDING = "#c9ced6"                # a cell not computed yet (pictures and figures): darker than the scales' white


def rgb(hex_colour):
    """'#rrggbb' -> (r, g, b)."""
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def colours(values, scale, lo, hi):
    """values (any shape) on scale ("diverging", "sequential", "image") over [lo, hi] -> uint8 (..., 3)."""
    stops = SCALES[scale]
    at = np.array([s for s, _ in stops])
    table = np.array([rgb(c) for _, c in stops], np.float64)                  # (stops, 3)
    t = (np.asarray(values, np.float64) - lo) / ((hi - lo) or 1)
    t = np.clip(np.nan_to_num(t, nan=0.5), 0, 1)
    channels = [np.interp(t, at, table[:, k]) for k in range(3)]
    return np.rint(np.stack(channels, axis=-1)).astype(np.uint8)


def ink_on(colour):
    """Dark or light text for a background (r, g, b): the page's rule (colors.js diverging)."""
    r, g, b = colour[:3]
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"
