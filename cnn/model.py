"""The network of README.md ("The network"): a batched forward pass for training and prediction, and a traced one."""

import numpy as np

from . import config as C
from . import layers as L
from .trace import Stage, Trace

PREDICT_CHUNK = 100   # images per forward pass in predict_proba: their columns (6.7 MB) stay in cache; fastest here


class Model:
    """The ten stages with one set of parameters (a dict of float32 arrays, config.PARAM_SHAPES)."""

    def __init__(self, params):
        self.params = {k: np.asarray(params[k], np.float32) for k in C.PARAM_SHAPES}

    def forward(self, x):
        """x (N, 28, 28) -> dict of every stage's output and what backward needs.

        Pools before each activation, not after as the trace shows: relu and sigmoid only grow, so the
        maximum of the activations is the activation of the maximum, on a quarter of the numbers."""
        p = self.params
        a = {"input": x[:, None].astype(np.float32, copy=False)}           # (N, 1, 28, 28)
        a["conv1.cols"] = L.im2col_flat(a["input"], C.CONV1_KERNEL)        # kept for the backward pass
        a["conv1"] = L.conv_forward(a["input"], p["conv1.weight"], p["conv1.bias"], a["conv1.cols"])  # (N, 2, 24, 24)
        a["max1"], a["pool1.arg"] = L.pool_forward(a["conv1"], C.POOL)     # (N, 2, 12, 12)
        a["pool1"] = L.relu_forward(a["max1"])
        a["conv2.cols"] = L.im2col_flat(a["pool1"], C.CONV2_KERNEL)
        a["conv2"] = L.conv_forward(a["pool1"], p["conv2.weight"], p["conv2.bias"], a["conv2.cols"])  # (N, 4, 10, 10)
        a["max2"], a["pool2.arg"] = L.pool_forward(a["conv2"], C.POOL)     # (N, 4, 5, 5)
        a["pool2"] = L.sigmoid_forward(a["max2"])
        a["flatten"] = L.flatten_forward(a["pool2"])                       # (N, 100)
        a["dense"] = L.dense_forward(a["flatten"], p["dense.weight"], p["dense.bias"])  # (N, 10)
        return a

    def predict_proba(self, x):
        """x (N, 28, 28) in [0, 1] -> (N, 10) probabilities, in chunks that stay in cache."""
        x = np.asarray(x, np.float32)
        return np.concatenate([L.softmax(self.forward(x[i:i + PREDICT_CHUNK])["dense"])
                               for i in range(0, len(x), PREDICT_CHUNK)] or [np.zeros((0, C.NUM_CLASSES))])

    def loss_and_grads(self, x, y):
        """Mean cross-entropy on a batch x (N, 28, 28), y (N,) -> (loss, correct count, grads dict)."""
        p, a = self.params, self.forward(x)
        loss, dz = L.cross_entropy(a["dense"], y)
        g = {}
        dflat, g["dense.weight"], g["dense.bias"] = L.dense_backward(dz, a["flatten"], p["dense.weight"])
        dmax2 = L.sigmoid_backward(dflat.reshape(a["pool2"].shape), a["pool2"])
        dconv2 = L.pool_backward(dmax2, a["pool2.arg"], C.POOL)
        dpool1, g["conv2.weight"], g["conv2.bias"] = L.conv_backward(dconv2, a["pool1"], p["conv2.weight"],
                                                                     cols=a["conv2.cols"])
        dconv1 = L.pool_backward(L.relu_backward(dpool1, a["max1"]), a["pool1.arg"], C.POOL)
        _, g["conv1.weight"], g["conv1.bias"] = L.conv_backward(dconv1, a["input"], p["conv1.weight"],
                                                                input_grad=False, cols=a["conv1.cols"])
        correct = int((a["dense"].argmax(axis=1) == y).sum())
        return loss, correct, g

    def trace(self, image):
        """One (28, 28) image -> Trace of the ten stages, with every product, argmax and contribution."""
        return Trace(list(self.trace_stages(image)))

    def trace_stages(self, image):
        """Yield the ten Stages of one (28, 28) image in order, each as soon as it is computed."""
        p = self.params
        x = np.asarray(image, np.float32).reshape(1, C.IMAGE_SIZE, C.IMAGE_SIZE)   # (1, 28, 28)
        yield Stage("input", "input", x, x)
        conv1 = self._conv("conv1", x)                                      # (2, 24, 24)
        yield conv1
        relu1 = Stage("relu1", "relu", conv1.output, L.relu_forward(conv1.output))
        yield relu1
        pool1 = self._pool("pool1", relu1.output)                           # (2, 12, 12)
        yield pool1
        conv2 = self._conv("conv2", pool1.output)                           # (4, 10, 10)
        yield conv2
        sigmoid2 = Stage("sigmoid2", "sigmoid", conv2.output, L.sigmoid_forward(conv2.output))
        yield sigmoid2
        pool2 = self._pool("pool2", sigmoid2.output)                        # (4, 5, 5)
        yield pool2
        flat = pool2.output.reshape(-1)                                     # (100,) channel, row, column
        yield Stage("flatten", "flatten", pool2.output, flat)
        w, b = p["dense.weight"], p["dense.bias"]
        contributions = w * flat                                            # (10, 100) weight x input
        sums = contributions.sum(axis=1)                                    # (10,)
        logits = sums + b
        yield Stage("dense", "dense", flat, logits, {"weight": w, "bias": b},
                    {"contributions": contributions, "sums": sums})
        yield self._softmax(logits)

    def _conv(self, name, x):
        """A convolution Stage whose output is built from its recorded products, so the numbers add up."""
        w, b = self.params[f"{name}.weight"], self.params[f"{name}.bias"]
        products = L.conv_products(x, w)                                   # (F, oh, ow, C, k, k)
        sums = products.sum(axis=(3, 4, 5))                                 # (F, oh, ow)
        return Stage(name, "conv", x, sums + b[:, None, None], {"weight": w, "bias": b},
                     {"products": products, "sums": sums})

    @staticmethod
    def _softmax(logits):
        """The softmax Stage with its arithmetic, as layers.softmax does it: subtract the largest logit (so no
        exponential overflows), exponentiate, divide by the sum. The probabilities are built from the recorded
        exponentials and sum, so exponential / sum is exactly what the page shows."""
        largest = logits.max()
        shifted = logits - largest                                          # (10,) all <= 0, the largest is 0
        exponentials = np.exp(shifted)                                      # (10,) in (0, 1]
        total = exponentials.sum()
        probs = exponentials / total
        return Stage("softmax", "softmax", logits, probs, {},
                     {"logits": logits, "largest": largest, "shifted": shifted, "exponentials": exponentials,
                      "sum": total, "prediction": int(probs.argmax())})

    def _pool(self, name, x):
        """A max-pool Stage recording which cell of each window (0..3, row-major) held the maximum."""
        out, arg = L.pool_forward(x[None], C.POOL)
        return Stage(name, "pool", x, out[0], {}, {"argmax": arg[0]})
