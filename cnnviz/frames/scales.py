"""The page's colour scales as NumPy lookups: a value array -> RGB bytes, as the page's heatmaps colour it.

The stops are the page's (static/js/config.js: DIVERGING, SEQUENTIAL = Plotly's Viridis, IMAGE) and its highlight
colours (COLOURS), written here until both read them from one data file."""

import numpy as np

DIVERGING = [  # ColorBrewer RdBu reversed: blue negative, white 0, red positive
    [0.0, "#053061"], [0.1, "#2166ac"], [0.2, "#4393c3"], [0.3, "#92c5de"], [0.4, "#d1e5f0"],
    [0.5, "#f7f7f7"],
    [0.6, "#fddbc7"], [0.7, "#f4a582"], [0.8, "#d6604d"], [0.9, "#b2182b"], [1.0, "#67001f"],
]
SEQUENTIAL = [  # Plotly's Viridis, the scale the page names
    [0, "#440154"], [0.06274509803921569, "#48186a"], [0.12549019607843137, "#472d7b"],
    [0.18823529411764706, "#424086"], [0.25098039215686274, "#3b528b"], [0.3137254901960784, "#33638d"],
    [0.3764705882352941, "#2c728e"], [0.4392156862745098, "#26828e"], [0.5019607843137255, "#21918c"],
    [0.5647058823529412, "#1fa088"], [0.6274509803921569, "#28ae80"], [0.6901960784313725, "#3fbc73"],
    [0.7529411764705882, "#5ec962"], [0.8156862745098039, "#84d44b"], [0.8784313725490196, "#addc30"],
    [0.9411764705882353, "#d8e219"], [1, "#fde725"],
]
IMAGE = [[0, "#000000"], [1, "#ffffff"]]      # the digit as MNIST stores it: white on black
COLOURS = {
    "window": "#ffb000",       # the sliding window / current cell outline
    "current": "#ff00c8",      # the output cell being filled in
    "maximum": "#00e5ff",      # the winning cell of a pooling window
    "prediction": "#e66100",   # the predicted class bar
    "bar": "#5d7fa3",          # other bars
    "positive": "#b2182b",     # contributions that push a class up
    "negative": "#2166ac",     # ... and down
    "curve": "#888888",        # activation function curves
}
SCALES = {"diverging": DIVERGING, "sequential": SEQUENTIAL, "image": IMAGE}
LEGEND = {   # the page's words for each scale (static/js/colors.js)
    "diverging": "Colour: diverging and centred on zero - blue below 0, white at 0, red above 0.",
    "sequential": "Colour: sequential for values >= 0 - dark purple is low, yellow is high (viridis).",
    "gradient": "Gradients: blue below 0, white at 0, red above 0 (centred on zero).",
    "image": "Colour: the pixel itself - black is 0, white is 1, as MNIST stores digits.",
}


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


def palette():
    """256 RGB colours every frame is mapped to (a GIF's one colour table): each scale finely, greys for the
    digit and the text's edges, the highlights."""
    ramps = [colours(np.linspace(0, 1, 72), "diverging", 0, 1), colours(np.linspace(0, 1, 64), "sequential", 0, 1),
             colours(np.linspace(0, 1, 64), "image", 0, 1)]
    fixed = np.array([rgb(c) for c in COLOURS.values()] + [rgb(c) for c in ("#f3f4f6", "#e5e7eb", "#d8dce2")],
                     np.uint8)
    found = np.unique(np.concatenate(ramps + [fixed]), axis=0)
    return np.concatenate([found, np.zeros((256 - len(found), 3), np.uint8)])   # (256, 3)
