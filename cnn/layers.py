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


# Training and prediction convolve in a "flat" layout: an (H, W) map read as one row of H*W numbers, where
# the window at (y, x) starts at y*W + x and kernel cell (i, j) sits i*W + j further on. Each kernel cell's
# values over all windows are then one contiguous run (a fast copy) instead of oh short rows. Output
# position p = y*W + x is a real window only for x < ow; the k - 1 positions at each row's end straddle
# two rows, are computed and ignored, and carry zero gradient.

def flat_length(oh, ow, w):
    """Flat positions from the first window to the last, in maps W wide with oh x ow windows."""
    return (oh - 1) * w + ow


def im2col_flat(x, k):
    """Windows as contiguous runs: (N, C, H, W) -> (N, C*k*k, L), column p the window at y*W + x = p."""
    x = np.ascontiguousarray(x)
    n, c, h, w = x.shape
    s = x.itemsize
    length = flat_length(h - k + 1, w - k + 1, w)
    runs = as_strided(x, (n, c, k, k, length), (c * h * w * s, h * w * s, w * s, s, s), writeable=False)
    return runs.reshape(n, c * k * k, -1)


def unflatten(out, h, w, k):
    """Flat conv outputs (N, F, L) -> (N, F, oh, ow), a view that skips each row's k - 1 straddling ones."""
    n, f, length = out.shape
    s = out.itemsize
    return as_strided(out, (n, f, h - k + 1, w - k + 1), (f * length * s, length * s, w * s, s), writeable=False)


def flatten_grad(dout, w):
    """(N, F, oh, ow) -> (N, F, L) in the flat layout of maps W wide, zero at the straddling positions."""
    n, f, oh, ow = dout.shape
    flat = np.zeros((n, f, oh, w), dout.dtype)
    flat[..., :ow] = dout
    return flat.reshape(n, f, oh * w)[..., :flat_length(oh, ow, w)]


def col2im_flat(cols, shape, k):
    """The adjoint of im2col_flat: (N, C*k*k, L) -> (N, C, H, W), each column added back onto its window."""
    n, c, h, w = shape
    length = cols.shape[-1]
    cols = cols.reshape(n, c, k * k, length)
    dx = np.zeros((n, c, h * w), cols.dtype)
    for cell in range(k * k):                               # one shifted contiguous slice per kernel cell
        start = (cell // k) * w + cell % k
        dx[..., start:start + length] += cols[:, :, cell]
    return dx.reshape(shape)


def conv_forward(x, w, b, cols=None):
    """Valid, stride-1 cross-correlation: x (N, C, H, W), w (F, C, k, k), b (F,) -> (N, F, H-k+1, W-k+1).

    cols: im2col_flat(x, k) when the caller keeps it for conv_backward."""
    f, k = w.shape[0], w.shape[-1]
    cols = im2col_flat(x, k) if cols is None else cols
    out = np.matmul(w.reshape(f, -1), cols)                             # (N, F, L): one small matmul per image
    out += b[:, None]
    return unflatten(out, x.shape[2], x.shape[3], k)


def conv_backward(dout, x, w, input_grad=True, cols=None):
    """Gradients of conv_forward: dout (N, F, oh, ow) -> (dx (N, C, H, W), dw (F, C, k, k), db (F,)).

    With input_grad=False dx is None: the first layer's input needs no gradient. cols: as conv_forward."""
    f, k = w.shape[0], w.shape[-1]
    cols = im2col_flat(x, k) if cols is None else cols
    flat = flatten_grad(dout, x.shape[3])                               # (N, F, L)
    dw = np.matmul(flat, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)   # per image, then summed
    db = dout.sum(axis=(0, 2, 3))
    if not input_grad:
        return None, dw, db
    dx = col2im_flat(np.matmul(w.reshape(f, -1).T, flat), x.shape, k)  # (N, C*k*k, L) -> (N, C, H, W)
    return dx, dw, db


def conv_products(x, w):
    """Each output position's window times the kernel: x (C, H, W), w (F, C, k, k) -> (F, oh, ow, C, k, k).

    Computed in (F, C*k*k, oh*ow) memory order, where the multiply and the sums over a window are fastest,
    and returned as a view in the position-major shape."""
    f, c, k, _ = w.shape
    oh, ow = x.shape[1] - k + 1, x.shape[2] - k + 1
    products = w.reshape(f, -1, 1) * im2col(x[None], k)                               # (F, C*k*k, oh*ow)
    products += 0      # a negative weight times a 0 pixel is -0.0, which breaks the trace's runs of zero bytes
                       # for gzip; +0.0 is the same number (a first trace on the wire 87.6 -> 68.3 KB)
    return products.reshape(f, c, k, k, oh, ow).transpose(0, 4, 5, 1, 2, 3)


def conv_weight_products(x, dout):
    """Each output position's δ times the window under it: x (C, H, W), dout (F, oh, ow) -> (F, C*k*k, oh*ow)
    products, whose sum over positions (the last axis) is the kernel's gradient (conv_backward's dw for one image).
    In the memory order of conv_products, where the multiply and running sums are fastest; position_major() views it."""
    k = x.shape[1] - dout.shape[1] + 1
    products = dout.reshape(dout.shape[0], 1, -1) * im2col(x[None], k)[0]           # (F, C*k*k, oh*ow)
    products += 0                                                                   # +0.0, as conv_products
    return products


def position_major(a, c, k, oh, ow):
    """(F, C*k*k, oh*ow) -> a (F, oh, ow, C, k, k) view: position by position, each window's numbers."""
    return a.reshape(a.shape[0], c, k, k, oh, ow).transpose(0, 4, 5, 1, 2, 3)


def conv_input_products(dout, w):
    """Each input cell's weight x δ over the windows that covered it: dout (F, oh, ow), w (F, C, k, k) ->
    (C, H, W, F, k, k), zero where kernel cell (a, b) of filter f had no window over (y, x); its sum over the
    last three axes is conv_backward's dx for one image."""
    f, c, k, _ = w.shape
    oh, ow = dout.shape[1:]
    h, wd = oh + k - 1, ow + k - 1
    padded = np.zeros((f, oh + 2 * (k - 1), ow + 2 * (k - 1)), dout.dtype)
    padded[:, k - 1:k - 1 + oh, k - 1:k - 1 + ow] = dout
    # under[f, a, b, y, x] = dout[f, y - a, x - b]: the δ of the window whose kernel cell (a, b) lay on (y, x)
    under = np.stack([np.stack([padded[:, k - 1 - a:k - 1 - a + h, k - 1 - b:k - 1 - b + wd] for b in range(k)], 1)
                      for a in range(k)], 1)                                        # (F, k, k, H, W)
    products = w.transpose(1, 0, 2, 3)[..., None, None] * under[None]               # (C, F, k, k, H, W)
    products += 0
    return products.transpose(0, 4, 5, 1, 2, 3)


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
    dx = np.empty((n, c, oh * p, ow * p), dout.dtype)
    for index in range(p * p):                            # every cell is written: dout where it won, else 0
        np.multiply(dout, arg == index, out=dx[:, :, index // p::p, index % p::p])
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
