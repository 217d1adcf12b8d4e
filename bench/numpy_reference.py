"""NumPy reference for the benchmark: the article's experiment as the article describes it, and the
same forward and backward pass at a large size.

Times, on request, seconds per call of `measure_layer_variances` at the article's config (forward
pass, np.var of Z and H per layer), or of He initialization forward and backward, as `simulate`
does, at 50 layers x 256 wide x batch 256 and at the explorer's largest setting (100 x 512 x 32);
or of the explorer's tanh network at that size with its weights' draws kept and sigma moved, in
float64 and in float32.
"""
import itertools
import json
import sys
import time

import numpy as np


def measure_layer_variances(X, sigma, n_layers=8, n_neurons=10, rng=np.random):
    """The article's experiment: W ~ N(0, sigma^2), b = 0, Z = H_prev . W + b, H = ReLU(Z)."""
    H = X
    pre, post = [], []
    for _ in range(n_layers):
        W = rng.normal(0.0, sigma, size=(H.shape[-1], n_neurons))
        b = np.zeros(n_neurons)
        Z = H @ W + b
        H = np.maximum(0.0, Z)
        pre.append(np.var(Z))
        post.append(np.var(H))
    return pre, post


def he_forward_backward(X, n_layers, width, rng):
    """What simulate computes for he-normal + ReLU: forward, then backward from unit noise."""
    H = X
    Ws, Zs, Hs = [], [], [X]
    stats = []
    for _ in range(n_layers):
        W = rng.normal(0.0, np.sqrt(2.0 / H.shape[1]), size=(H.shape[1], width))
        Z = H @ W
        H = np.maximum(0.0, Z)
        Ws.append(W)
        Zs.append(Z)
        Hs.append(H)
        stats.append((Z.mean(), Z.var(), H.mean(), H.var()))
    g = rng.normal(size=H.shape)
    grads = []
    for l in range(n_layers - 1, -1, -1):
        delta = g * (Zs[l] > 0)
        dW = Hs[l].T @ delta
        grads.append((delta.var(), dW.var()))
        g = delta @ Ws[l].T
    return stats, grads


def tanh_forward_backward(X, units, sigma):
    """The explorer's tanh network with its unit draws kept, as simulate keeps them when only sigma
    moves: forward, then backward from unit noise, in the dtype of X and the draws."""
    H = X
    Hs = [X]
    stats = []
    for U in units:
        Z = (H @ U) * X.dtype.type(sigma)
        H = np.tanh(Z)
        Hs.append(H)
        stats.append((Z.mean(), Z.var(), H.mean(), H.var()))
    g = np.random.default_rng(1).standard_normal(H.shape).astype(X.dtype)
    grads = []
    for l in range(len(units) - 1, -1, -1):
        delta = g * (1 - Hs[l + 1] ** 2)
        dW = Hs[l].T @ delta
        grads.append((delta.var(), dW.var()))
        g = (delta @ units[l].T) * X.dtype.type(sigma)
    return stats, grads


def per_call(fn, min_seconds):
    fn()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        fn()
        n += 1
    return (time.perf_counter() - start) / n


def main():
    """Answers timing requests, one per line on stdin ("article SECONDS", "large SECONDS", "explorer SECONDS",
    "tanh SECONDS" or "tanh32 SECONDS"), with
    one JSON line each, so that the caller can interleave its own rounds with NumPy's."""
    X = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    rng = np.random.default_rng(0)
    Xb = rng.normal(size=(256, 256))
    Xe = rng.normal(size=(32, 512))
    # The explorer's tanh network with its draws kept, in float64 (NumPy's default) and float32.
    units64 = [rng.standard_normal((512, 512)) for _ in range(100)]
    units32 = [u.astype(np.float32) for u in units64]
    Xe32 = Xe.astype(np.float32)
    sigmas = itertools.cycle(np.linspace(0.02, 0.07, 500))
    calls = {
        "article": lambda: measure_layer_variances(X, 0.1),
        "large": lambda: he_forward_backward(Xb, 50, 256, rng),
        # The explorer at its largest setting: 100 layers of 512, a batch of 32.
        "explorer": lambda: he_forward_backward(Xe, 100, 512, rng),
        "tanh": lambda: tanh_forward_backward(Xe, units64, next(sigmas)),
        "tanh32": lambda: tanh_forward_backward(Xe32, units32, next(sigmas)),
    }
    print(json.dumps({"numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        name, seconds = line.split()
        print(json.dumps({"seconds": per_call(calls[name], float(seconds))}), flush=True)


if __name__ == "__main__":
    main()
