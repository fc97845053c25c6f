"""The network described once: config.STAGES, each stage an op of its kind. An op knows its batched forward and
backward (for training and prediction) and what the traces record of one image, forward and backward; every
pass walks NETWORK. What a forward saves for its backward is explicit, as in torch.autograd.Function."""

import math

import numpy as np

from . import config as C
from . import layers as L
from .trace import Backward, Stage


FLOAT32_MAX = np.finfo(np.float32).max
LARGEST_LOG = math.log(FLOAT32_MAX)     # -1/p is -exp(loss): past this loss it is written as float32's largest


class Op:
    """One stage: its name and kind, and the parameters it uses (their names in config.PARAM_SHAPES)."""
    kind = ""
    uses = ()                 # parameter suffixes, e.g. ("weight", "bias") for conv1.weight, conv1.bias
    monotone = False          # an activation that never decreases: max pooling gives the same after it as before

    def __init__(self, name, after):
        self.name = name
        self.after = after    # the kind of the stage before it ("input": this stage reads the pixels)

    def params(self, p):
        """This stage's parameters from the model's dict, by their short names ("weight", "bias")."""
        return {u: p[f"{self.name}.{u}"] for u in self.uses}

    def forward(self, x, p):
        """A batch (N, ...) -> (output, what backward needs)."""
        return x, None

    def backward(self, dy, saved, p, input_grad=True):
        """∂L/∂output of a batch -> (∂L/∂input or None, {parameter name: gradient})."""
        return dy, {}

    def record(self, x, p):
        """One image's input (no batch axis) -> (output, what the stage's view needs)."""
        y, _ = self.forward(x[None], p)
        return y[0], {}

    def record_backward(self, dy, stage, p):
        """∂L/∂output of one image and its forward Stage -> Backward, with what the backward view needs."""
        dx, grads = self.backward(dy[None], self.saved(stage), p)
        return Backward(self.name, self.kind, dy, dx[0], {k.split(".")[1]: g for k, g in grads.items()})

    def saved(self, stage):
        """What forward saves for backward, rebuilt from one image's Stage as a batch of one."""
        return None


class Input(Op):
    kind = "input"

    def record_backward(self, dy, stage, p):
        return Backward(self.name, self.kind, dy, None)       # the pixels: nothing comes before them


class Conv(Op):
    kind, uses = "conv", ("weight", "bias")

    def forward(self, x, p):
        w, b = p[f"{self.name}.weight"], p[f"{self.name}.bias"]
        cols = L.im2col_flat(x, w.shape[-1])                            # kept for the backward pass
        return L.conv_forward(x, w, b, cols), (x, cols)

    def backward(self, dy, saved, p, input_grad=True):
        x, cols = saved
        dx, dw, db = L.conv_backward(dy, x, p[f"{self.name}.weight"], input_grad, cols)
        return dx, {f"{self.name}.weight": dw, f"{self.name}.bias": db}

    def record(self, x, p):
        """The output is built from the recorded products, so the numbers on screen add up by construction."""
        w, b = p[f"{self.name}.weight"], p[f"{self.name}.bias"]
        products = L.conv_products(x, w)                                # (F, oh, ow, C, k, k)
        sums = products.sum(axis=(3, 4, 5))                             # (F, oh, ow)
        return sums + b[:, None, None], {"products": products, "sums": sums}

    def record_backward(self, dy, stage, p):
        """Each weight's gradient accumulates δ × the input cell under it, position by position (filter by
        filter, row by row, as the forward slides); each input cell's gradient sums weight × δ over the windows
        that covered it. The gradients are the last running sums and the sums of the recorded products."""
        w = p[f"{self.name}.weight"]
        f, c, k, _ = w.shape
        oh, ow = dy.shape[1:]
        products = L.conv_weight_products(stage.input, dy)              # (F, C*k*k, oh*ow)
        accumulated = np.cumsum(products, axis=2)                       # the running sums, position by position
        bias_accumulated = np.cumsum(dy.reshape(f, -1), axis=1).reshape(dy.shape)   # (F, oh, ow)
        grads = {"weight": accumulated[..., -1].reshape(w.shape), "bias": bias_accumulated[:, -1, -1].copy()}
        details = {"weight_products": L.position_major(products, c, k, oh, ow),               # (F, oh, ow, C, k, k)
                   "accumulated": L.position_major(accumulated, c, k, oh, ow), "bias_accumulated": bias_accumulated}
        if self.after == "input":     # the input view shows ∂L/∂pixels as a map: no 39,200 products for it
            dx = L.conv_backward(dy[None], stage.input[None], w, cols=L.im2col_flat(stage.input[None], k))[0][0]
        else:
            details["input_products"] = L.conv_input_products(dy, w)    # (C, H, W, F, k, k)
            dx = details["input_products"].sum(axis=(3, 4, 5))
        return Backward(self.name, self.kind, dy, dx, grads, details)


class Relu(Op):
    kind, monotone = "relu", True

    def forward(self, x, p):
        return L.relu_forward(x), x

    def backward(self, dy, saved, p, input_grad=True):
        return L.relu_backward(dy, saved), {}

    def saved(self, stage):
        return stage.input[None]

    def record_backward(self, dy, stage, p):
        passed = (stage.input > 0).astype(np.uint8)                     # 1 where the input was positive
        return Backward(self.name, self.kind, dy, dy * passed, {}, {"passed": passed})


class Sigmoid(Op):
    kind, monotone = "sigmoid", True

    def forward(self, x, p):
        y = L.sigmoid_forward(x)
        return y, y

    def backward(self, dy, saved, p, input_grad=True):
        return L.sigmoid_backward(dy, saved), {}

    def record_backward(self, dy, stage, p):
        slope = stage.output * (1 - stage.output)                       # s(1 - s), the local slope
        return Backward(self.name, self.kind, dy, dy * slope, {}, {"slope": slope})


class Pool(Op):
    kind = "pool"

    def forward(self, x, p):
        return L.pool_forward(x, C.POOL)                                # (output, argmax in each window)

    def backward(self, dy, saved, p, input_grad=True):
        return L.pool_backward(dy, saved, C.POOL), {}

    def record(self, x, p):
        out, arg = L.pool_forward(x[None], C.POOL)
        return out[0], {"argmax": arg[0]}

    def saved(self, stage):
        return stage.details["argmax"][None]                            # the window's cell the view showed

    def record_backward(self, dy, stage, p):
        back = super().record_backward(dy, stage, p)
        back.details["argmax"] = stage.details["argmax"]
        return back


class Flatten(Op):
    kind = "flatten"

    def forward(self, x, p):
        return L.flatten_forward(x), x.shape

    def backward(self, dy, saved, p, input_grad=True):
        return dy.reshape(saved), {}

    def saved(self, stage):
        return (1, *stage.input.shape)


class Dense(Op):
    kind, uses = "dense", ("weight", "bias")

    def forward(self, x, p):
        return L.dense_forward(x, p["dense.weight"], p["dense.bias"]), x

    def backward(self, dy, saved, p, input_grad=True):
        dx, dw, db = L.dense_backward(dy, saved, p["dense.weight"])
        return dx, {"dense.weight": dw, "dense.bias": db}

    def record(self, x, p):
        w, b = p["dense.weight"], p["dense.bias"]
        contributions = w * x                                           # (10, 100) weight x input
        sums = contributions.sum(axis=1)                                # (10,)
        return sums + b, {"contributions": contributions, "sums": sums}

    def record_backward(self, dy, stage, p):
        """∂L/∂W = δ ⊗ x, ∂L/∂b = δ, and each input's gradient the sum of its 10 products weight × δ."""
        products = p["dense.weight"] * dy[:, None]                      # (10, 100) weight x δ
        products += 0                                                   # +0.0, not -0.0, as conv_products
        return Backward(self.name, self.kind, dy, products.sum(axis=0),
                        {"weight": np.outer(dy, stage.input), "bias": dy.copy()}, {"products": products})


class Softmax(Op):
    """The probabilities. Training and the backward trace start their backward from the cross-entropy loss on
    its logits (L.cross_entropy, label_loss), whose gradient p - onehot needs no division by p."""
    kind = "softmax"

    def forward(self, x, p):
        return L.softmax(x), None

    def record(self, x, p):
        """As layers.softmax: subtract the largest logit (so no exponential overflows), exponentiate, divide by
        the sum. The probabilities are built from the recorded exponentials and sum."""
        largest = x.max()
        shifted = x - largest                                           # (10,) all <= 0, the largest is 0
        exponentials = np.exp(shifted)                                  # (10,) in (0, 1]
        total = exponentials.sum()
        probs = exponentials / total
        return probs, {"logits": x, "largest": largest, "shifted": shifted, "exponentials": exponentials,
                       "sum": total, "prediction": int(probs.argmax())}

    def record_backward(self, label, stage, p):
        """label -> ∂L/∂p (-1/p at the label, 0 elsewhere: -exp(loss), finite for any logits) and ∂L/∂logits
        = p - onehot(label), class by class."""
        onehot = np.eye(C.NUM_CLASSES, dtype=np.float32)[label]
        dp = np.zeros(C.NUM_CLASSES, np.float32)
        dp[label] = -min(math.exp(min(label_loss(stage.details, label), LARGEST_LOG)), float(FLOAT32_MAX))
        return Backward(self.name, self.kind, dp, stage.output - onehot, {},
                        {"probabilities": stage.output, "onehot": onehot, "label": int(label)})


def label_loss(softmax_details, label):
    """-log p[label] from a softmax's recorded arithmetic: log(Σ exp(shifted)) - shifted[label], in float64,
    finite for any logits (the sum is at least 1: the largest logit's exponential)."""
    return float(np.log(np.float64(softmax_details["sum"])) - np.float64(softmax_details["shifted"][label]))


KINDS = {op.kind: op for op in (Input, Conv, Relu, Sigmoid, Pool, Flatten, Dense, Softmax)}
BEFORE = ("",) + tuple(kind for _, kind, _ in C.STAGES[:-1])       # each stage's previous stage's kind
NETWORK = tuple(KINDS[kind](name, before) for (name, kind, _), before in zip(C.STAGES, BEFORE))


def forward(params, x):
    """A batch x (N, 1, 28, 28) -> (logits (N, 10), the tape of (op, saved) in the order run). A monotone activation followed by max pooling is pooled first: the same outputs on a quarter of the
    numbers (relu and sigmoid only grow, so the maximum of the activations is the activation of the maximum)."""
    tape, ops, i = [], NETWORK[1:-1], 0                                 # input and softmax do nothing here
    while i < len(ops):
        op = ops[i]
        order = (ops[i + 1], op) if op.monotone and i + 1 < len(ops) and ops[i + 1].kind == "pool" else (op,)
        for o in order:
            x, saved = o.forward(x, params)
            tape.append((o, saved))
        i += len(order)
    return x, tape


def backward(params, tape, dz):
    """Walk the tape back from ∂L/∂logits dz -> {parameter name: gradient}; the pixels get no gradient."""
    grads = {}
    for i in range(len(tape) - 1, -1, -1):
        op, saved = tape[i]
        dz, g = op.backward(dz, saved, params, input_grad=i > 0)
        grads.update(g)
    return grads


def trace_stages(params, image):
    """Yield the ten Stages of one (28, 28) image in order, each as soon as it is computed."""
    x = np.asarray(image, np.float32).reshape(1, C.IMAGE_SIZE, C.IMAGE_SIZE)   # (1, 28, 28)
    for op in NETWORK:
        y, details = op.record(x, params)
        yield Stage(op.name, op.kind, x, y, op.params(params), details)
        x = y


def backward_stages(params, trace, label):
    """Yield one image's Backward of every stage, from softmax back to the input, each as soon as computed."""
    d = label
    for op in reversed(NETWORK):
        back = op.record_backward(d, trace[op.name], params)
        yield back
        d = back.grad_input
