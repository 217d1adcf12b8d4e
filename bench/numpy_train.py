"""NumPy reference for the training benchmark: the network and update rule of the training figure
(20 ReLU layers of 16, He init, batches of 32) written with NumPy. Prints steps per second as JSON.

    python3 numpy_train.py SECONDS                 the spiral: 2 inputs, 2 outputs, momentum SGD, lr 0.01
    python3 numpy_train.py SECONDS digits sgd|adam the digits: 64 inputs, 10 outputs, lr 0.001
"""
import gzip
import json
import pathlib
import sys
import time

import numpy as np


def digits():
    """The 1,500 training digits' pixels (scaled to 0..1) and labels from www/data/digits.bin.gz."""
    raw = gzip.decompress((pathlib.Path(__file__).resolve().parent.parent / "www/data/digits.bin.gz").read_bytes())
    n = int.from_bytes(raw[4:6], "little")
    labels = np.frombuffer(raw[6:6 + n], np.uint8).astype(int)
    pixels = np.frombuffer(raw[6 + n:], np.uint8).reshape(n, 64) / 16.0
    return pixels[:1500], labels[:1500]


def spiral(n, rng):
    t = rng.random(n)
    cls = np.arange(n) % 2
    r = 0.1 + 1.2 * t
    a = 3.5 * np.pi * t + cls * np.pi
    x = np.stack([r * np.cos(a), r * np.sin(a)], 1) + 0.04 * rng.standard_normal((n, 2))
    return x, cls


def init(layers, width, rng, inputs=2, outputs=2):
    sizes = [inputs] + [width] * layers + [outputs]
    ws = [rng.normal(0, np.sqrt(2 / a), (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b) for b in sizes[1:]]
    return ws, bs


def step(ws, bs, vw, vb, x, y, lr=0.01, mu=0.9, adam=None):
    hs, zs = [x], []
    for i, (w, b) in enumerate(zip(ws, bs)):
        z = hs[-1] @ w + b
        zs.append(z)
        hs.append(z if i == len(ws) - 1 else np.maximum(z, 0))
    logits = hs[-1]
    e = np.exp(logits - logits.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean()
    d = p
    d[np.arange(len(y)), y] -= 1
    d /= len(y)
    for i in range(len(ws) - 1, -1, -1):
        if i < len(ws) - 1:
            d = d * (zs[i] > 0)
        gw = hs[i].T @ d
        gb = d.sum(0)
        if i > 0:
            d = d @ ws[i].T
        if adam is None:
            vw[i] = mu * vw[i] - lr * gw
            vb[i] = mu * vb[i] - lr * gb
            ws[i] += vw[i]
            bs[i] += vb[i]
        else:
            # Adam: vw, vb hold the running means of g; adam["w"], adam["b"] those of g².
            t = adam["t"] + 1
            for p, m, v, g in ((ws, vw, adam["w"], gw), (bs, vb, adam["b"], gb)):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                p[i] -= lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    if adam is not None:
        adam["t"] += 1
    return loss


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    on_digits = len(sys.argv) > 2 and sys.argv[2] == "digits"
    rng = np.random.default_rng(0)
    if on_digits:
        x, y = digits()
        ws, bs = init(20, 16, rng, 64, 10)
        lr = 0.001
    else:
        x, y = spiral(400, rng)
        ws, bs = init(20, 16, rng)
        lr = 0.01
    vw = [np.zeros_like(w) for w in ws]
    vb = [np.zeros_like(b) for b in bs]
    adam = None
    if len(sys.argv) > 3 and sys.argv[3] == "adam":
        adam = {"t": 0, "w": [np.zeros_like(w) for w in ws], "b": [np.zeros_like(b) for b in bs]}
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        idx = rng.integers(0, len(y), 32)
        step(ws, bs, vw, vb, x[idx], y[idx], lr=lr, adam=adam)
        n += 1
    print(json.dumps({"numpy": np.__version__, "steps_per_second": n / (time.perf_counter() - start)}))


if __name__ == "__main__":
    main()
