// Visual constants and timings: the one place colours, scales and speeds are defined.

// Diverging, centred on zero, for signed values (ColorBrewer RdBu, reversed: blue negative, red positive).
// Colour-blind safe: the two arms differ in lightness as well as hue.
export const DIVERGING = [
  [0.0, "#053061"], [0.1, "#2166ac"], [0.2, "#4393c3"], [0.3, "#92c5de"], [0.4, "#d1e5f0"],
  [0.5, "#f7f7f7"],
  [0.6, "#fddbc7"], [0.7, "#f4a582"], [0.8, "#d6604d"], [0.9, "#b2182b"], [1.0, "#67001f"],
];
export const SEQUENTIAL = "Viridis";        // for non-negative values (viridis: perceptually uniform, CVD safe)
export const IMAGE = [[0, "#000000"], [1, "#ffffff"]];   // the digit as MNIST stores it: white on black

export const COLOURS = {
  window: "#ffb000",       // the sliding window / current cell outline (amber, distinct from both scale arms)
  current: "#ff00c8",      // the output cell being filled in
  maximum: "#00e5ff",      // the winning cell of a pooling window
  prediction: "#e66100",   // the predicted class bar
  bar: "#5d7fa3",          // other bars
  positive: "#b2182b",     // contributions that push a class up
  negative: "#2166ac",     // ... and down
  curve: "#888888",        // activation function curves
};

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
