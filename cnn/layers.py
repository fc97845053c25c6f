"""The network's operations as pure, vectorised NumPy functions, each with its backward pass."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def windows(x, k):
    """Every k x k window of a batch of maps: (N, C, H, W) -> (N, C, H-k+1, W-k+1, k, k), a view."""
    return sliding_window_view(x, (k, k), axis=(2, 3))


def conv_forward(x, w, b):
    """Valid, stride-1 cross-correlation: x (N, C, H, W), w (F, C, k, k), b (F,) -> (N, F, H-k+1, W-k+1)."""
    win = windows(x, w.shape[-1])                                  # (N, C, oh, ow, k, k)
    out = np.einsum("ncijkl,fckl->nfij", win, w, optimize=True)    # (N, F, oh, ow)
    return out + b[None, :, None, None]


def conv_backward(dout, x, w):
    """Gradients of conv_forward: dout (N, F, oh, ow) -> (dx (N, C, H, W), dw (F, C, k, k), db (F,))."""
    k = w.shape[-1]
    dw = np.einsum("nfij,ncijkl->fckl", dout, windows(x, k), optimize=True)
    db = dout.sum(axis=(0, 2, 3))
    padded = np.pad(dout, ((0, 0), (0, 0), (k - 1, k - 1), (k - 1, k - 1)))    # full correlation
    dx = np.einsum("nfijkl,fckl->ncij", windows(padded, k), w[:, :, ::-1, ::-1], optimize=True)
    return dx, dw, db


def conv_products(x, w):
    """Each output position's window times the kernel: x (C, H, W), w (F, C, k, k) -> (F, oh, ow, C, k, k)."""
    win = windows(x[None], w.shape[-1])[0].transpose(1, 2, 0, 3, 4)       # (oh, ow, C, k, k)
    return win[None] * w[:, None, None]


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


def pool_windows(x, p):
    """Non-overlapping p x p windows flattened: (N, C, H, W) -> (N, C, H/p, W/p, p*p)."""
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // p, p, w // p, p).transpose(0, 1, 2, 4, 3, 5)
    return blocks.reshape(n, c, h // p, w // p, p * p)


def pool_forward(x, p):
    """p x p max pool, stride p: (N, C, H, W) -> (out (N, C, H/p, W/p), argmax in each window, row-major)."""
    win = pool_windows(x, p)
    arg = win.argmax(axis=-1)                                      # (N, C, H/p, W/p), first max on ties
    return np.take_along_axis(win, arg[..., None], axis=-1)[..., 0], arg


def pool_backward(dout, arg, p):
    """Gradient of pool_forward: each window's gradient goes to the cell that held its maximum."""
    n, c, oh, ow = dout.shape
    dwin = np.zeros((n, c, oh, ow, p * p), dout.dtype)
    np.put_along_axis(dwin, arg[..., None], dout[..., None], axis=-1)
    return dwin.reshape(n, c, oh, ow, p, p).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh * p, ow * p)


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
