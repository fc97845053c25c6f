"""The fixed architecture of the network in PRODUCT.md: sizes, stage names and kinds."""

import math

IMAGE_SIZE = 28            # MNIST images are 28x28
DIGIT_BOX = 20             # MNIST digits were scaled to fit 20x20 before centring
NUM_CLASSES = 10           # digits 0..9
CONV1_FILTERS = 2          # 2 filters 5x5x1
CONV1_KERNEL = 5
CONV2_FILTERS = 4          # 4 filters 3x3x2
CONV2_KERNEL = 3
POOL = 2                   # 2x2 max pool, stride 2
FLAT = CONV2_FILTERS * 5 * 5   # 100 values after pool2

# (name, kind, output shape) in the order the model runs them.
STAGES = (
    ("input", "input", (1, 28, 28)),
    ("conv1", "conv", (2, 24, 24)),
    ("relu1", "relu", (2, 24, 24)),
    ("pool1", "pool", (2, 12, 12)),
    ("conv2", "conv", (4, 10, 10)),
    ("sigmoid2", "sigmoid", (4, 10, 10)),
    ("pool2", "pool", (4, 5, 5)),
    ("flatten", "flatten", (100,)),
    ("dense", "dense", (10,)),
    ("softmax", "softmax", (10,)),
)
STAGE_NAMES = tuple(name for name, _, _ in STAGES)

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
