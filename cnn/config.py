"""The fixed architecture of the network in README.md ("The network"): sizes, stage names and kinds."""

import math

IMAGE_SIZE = 28            # MNIST images are 28x28
DIGIT_BOX = 20             # MNIST digits were scaled to fit 20x20 before centring
BYTE_MAX = 255             # 8-bit pixels: MNIST's files, PNG channels
NUM_CLASSES = 10           # digits 0..9
CONV1_FILTERS = 2          # 2 filters 5x5x1
CONV1_KERNEL = 5
CONV2_FILTERS = 4          # 4 filters 3x3x2
CONV2_KERNEL = 3
POOL = 2                   # 2x2 max pool, stride 2

CONV1_SIZE = IMAGE_SIZE - CONV1_KERNEL + 1     # 24: valid convolution
POOL1_SIZE = CONV1_SIZE // POOL                # 12
CONV2_SIZE = POOL1_SIZE - CONV2_KERNEL + 1     # 10
POOL2_SIZE = CONV2_SIZE // POOL                # 5
FLAT = CONV2_FILTERS * POOL2_SIZE ** 2         # 100 values after pool2

# (name, kind, output shape) in the order the model runs them.
STAGES = (
    ("input", "input", (1, IMAGE_SIZE, IMAGE_SIZE)),
    ("conv1", "conv", (CONV1_FILTERS, CONV1_SIZE, CONV1_SIZE)),
    ("relu1", "relu", (CONV1_FILTERS, CONV1_SIZE, CONV1_SIZE)),
    ("pool1", "pool", (CONV1_FILTERS, POOL1_SIZE, POOL1_SIZE)),
    ("conv2", "conv", (CONV2_FILTERS, CONV2_SIZE, CONV2_SIZE)),
    ("sigmoid2", "sigmoid", (CONV2_FILTERS, CONV2_SIZE, CONV2_SIZE)),
    ("pool2", "pool", (CONV2_FILTERS, POOL2_SIZE, POOL2_SIZE)),
    ("flatten", "flatten", (FLAT,)),
    ("dense", "dense", (NUM_CLASSES,)),
    ("softmax", "softmax", (NUM_CLASSES,)),
)
STAGE_NAMES = tuple(name for name, _, _ in STAGES)
BACKWARD_NAMES = ("loss", *reversed(STAGE_NAMES))   # the backward walk's stages as it runs (its SGD step follows)

# Parameter name -> shape, the same layout as torch.nn (out, in, kh, kw) and (out, in).
PARAM_SHAPES = {
    "conv1.weight": (CONV1_FILTERS, 1, CONV1_KERNEL, CONV1_KERNEL),
    "conv1.bias": (CONV1_FILTERS,),
    "conv2.weight": (CONV2_FILTERS, CONV1_FILTERS, CONV2_KERNEL, CONV2_KERNEL),
    "conv2.bias": (CONV2_FILTERS,),
    "dense.weight": (NUM_CLASSES, FLAT),
    "dense.bias": (NUM_CLASSES,),
}
PARAM_COUNT = sum(math.prod(s) for s in PARAM_SHAPES.values())  # 1,138
CLASS_LABELS = tuple(str(d) for d in range(NUM_CLASSES))
