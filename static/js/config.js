// Visual constants and timings: the one place the page's colours, scales and speeds are defined. The colour scales,
// the colours and their legends come from cnnviz/colors.json, the file the Python figures read too: the server writes
// it into the page (<script type="application/json" id="colors">), read here once, when the modules load.
const LOOK = JSON.parse(document.getElementById("colors").textContent);

// Diverging, centred on zero, for signed values (ColorBrewer RdBu, reversed: blue negative, red positive);
// sequential for non-negative values (viridis, plotly.js's own stops); the digit as MNIST stores it, white on black.
export const DIVERGING = LOOK.scales.diverging;
export const SEQUENTIAL = LOOK.scales.sequential;
export const IMAGE = LOOK.scales.image;
export const COLOURS = LOOK.colours;      // by use: window, current, maximum, prediction, bar, positive, negative, curve
export const LEGEND = LOOK.legends;       // the words under a stage for each scale it uses

// Player speeds in positions per second; Infinity jumps straight to the finished map ("instant").
export const SPEEDS = [1, 2, 5, 10, 30, 60, 240, Infinity];
export const DEFAULT_SPEED_INDEX = 3;

export const TIMING = {
  drawThrottleMs: 120,     // how often the pad asks for a prediction while the pen moves
  urlDebounceMs: 250,      // how long the URL waits before recording a new position
};

export const PAD = {
  size: 256,               // drawing resolution in canvas pixels: integer stroke points fit a byte
  brush: 22,               // marker width in canvas pixels
  ink: "#111111",
};

// "Learn from this digit": the backward walk and its SGD step (the server's default and limits, /api/backprop).
export const LEARN = {
  rate: 0.02,              // the learning rate a step starts with
  minRate: 0.0001,         // the smallest the page offers (the server takes any above 0) ...
  maxRate: 10,             // ... and the largest the server takes
  maxSteps: 100,           // steps on one digit, at most
  sure: 0.99,              // p[label] above this: the network is right and sure, every gradient nearly zero
};

export const DIGITS = 4;          // decimals shown in tables (hover shows full float32 precision)
export const EXACT = 7;           // significant digits of a float32, shown on hover
