"""The network's operations as pure, vectorised NumPy functions, each with its backward pass."""

import numpy as np
from numpy.lib.stride_tricks import as_strided


def windows(x, k):
    """Every k x k window of a batch of maps: (N, C, H, W) -> (N, C, H-k+1, W-k+1, k, k), a read-only view."""
    n, c, h, w = x.shape
    s = x.strides
    return as_strided(x, (n, c, h - k + 1, w - k + 1, k, k), s + s[2:], writeable=False)


def im2col(x, k):
    """Windows as columns: (N, C, H, W) -> (N, C*k*k, oh*ow), a copy laid out for one matmul per image."""
    n, c, h, w = x.shape
    return windows(x, k).transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, (h - k + 1) * (w - k + 1))


def conv_forward(x, w, b):
    """Valid, stride-1 cross-correlation: x (N, C, H, W), w (F, C, k, k), b (F,) -> (N, F, H-k+1, W-k+1)."""
    f, k = w.shape[0], w.shape[-1]
    out = np.matmul(w.reshape(f, -1), im2col(x, k))                    # (N, F, oh*ow)
    return out.reshape(x.shape[0], f, x.shape[2] - k + 1, x.shape[3] - k + 1) + b[None, :, None, None]


def conv_backward(dout, x, w, input_grad=True):
    """Gradients of conv_forward: dout (N, F, oh, ow) -> (dx (N, C, H, W), dw (F, C, k, k), db (F,)).

    With input_grad=False dx is None: the first layer's input needs no gradient, and it is the costly one."""
    n, f, oh, ow = dout.shape
    k = w.shape[-1]
    flat = dout.reshape(n, f, oh * ow)
    dw = np.einsum("nfp,nkp->fk", flat, im2col(x, k), optimize=True).reshape(w.shape)
    db = flat.sum(axis=(0, 2))
    if not input_grad:
        return None, dw, db
    padded = np.pad(dout, ((0, 0), (0, 0), (k - 1, k - 1), (k - 1, k - 1)))    # full correlation
    flipped = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(w.shape[1], -1)  # (C, F*k*k)
    dx = np.matmul(flipped, im2col(padded, k)).reshape(x.shape)
    return dx, dw, db


def conv_products(x, w):
    """Each output position's window times the kernel: x (C, H, W), w (F, C, k, k) -> (F, oh, ow, C, k, k).

    Computed in (F, C*k*k, oh*ow) memory order, where the multiply and the sums over a window are fastest,
    and returned as a view in the position-major shape."""
    f, c, k, _ = w.shape
    oh, ow = x.shape[1] - k + 1, x.shape[2] - k + 1
    products = w.reshape(f, -1, 1) * im2col(x[None], k)                               # (F, C*k*k, oh*ow)
    return products.reshape(f, c, k, k, oh, ow).transpose(0, 4, 5, 1, 2, 3)


def relu_forward(x):
    """Negatives become zero."""
    return np.maximum(x, 0)


def relu_backward(dout, x):
    """Gradient of relu_forward: passes where the input was positive."""
    return dout * (x > 0)


def sigmoid_forward(x):
    """Squashes into (0, 1); computed without overflow for large |x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def sigmoid_backward(dout, y):
    """Gradient of sigmoid_forward, given its output y."""
    return dout * y * (1 - y)


def pool_forward(x, p):
    """p x p max pool, stride p: (N, C, H, W) -> (out (N, C, H/p, W/p), argmax in each window, row-major).

    Walks the p*p cells of every window at once as strided slices; ties keep the first maximum."""
    cells = [x[:, :, i::p, j::p] for i in range(p) for j in range(p)]   # p*p of (N, C, H/p, W/p)
    out, arg = cells[0].copy(), np.zeros(cells[0].shape, np.uint8)          # arg: 0..p*p-1
    for index, cell in enumerate(cells[1:], start=1):
        arg = np.where(cell > out, np.uint8(index), arg)
        np.maximum(out, cell, out=out)
    return out, arg


def pool_backward(dout, arg, p):
    """Gradient of pool_forward: each window's gradient goes to the cell that held its maximum."""
    n, c, oh, ow = dout.shape
    dx = np.zeros((n, c, oh * p, ow * p), dout.dtype)
    for index in range(p * p):
        dx[:, :, index // p::p, index % p::p] = np.where(arg == index, dout, 0)
    return dx


def flatten_forward(x):
    """(N, C, H, W) -> (N, C*H*W) in channel, row, column order (as torch.flatten)."""
    return x.reshape(x.shape[0], -1)


def dense_forward(x, w, b):
    """x (N, D), w (K, D), b (K,) -> logits (N, K)."""
    return x @ w.T + b


def dense_backward(dout, x, w):
    """Gradients of dense_forward: dout (N, K) -> (dx (N, D), dw (K, D), db (K,))."""
    return dout @ w, dout.T @ x, dout.sum(axis=0)


def softmax(z):
    """Probabilities along the last axis, shifted by the max for stability."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(z, y):
    """Mean cross-entropy of logits z (N, K) against labels y (N,) -> (loss, dz (N, K))."""
    p = softmax(z)
    n = z.shape[0]
    loss = -np.log(np.maximum(p[np.arange(n), y], np.finfo(p.dtype).tiny)).mean()
    dz = p.copy()
    dz[np.arange(n), y] -= 1
    return float(loss), dz / n
