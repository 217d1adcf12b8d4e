"""NumPy reference for the training benchmark: the network and update rule of the training figure
(2 inputs, 20 ReLU layers of 16, 2 softmax outputs, He init, minibatch SGD with momentum 0.9,
lr 0.01, batches of 32, the spiral) written with NumPy. Prints steps per second as JSON."""
import json
import sys
import time

import numpy as np


def spiral(n, rng):
    t = rng.random(n)
    cls = np.arange(n) % 2
    r = 0.1 + 1.2 * t
    a = 3.5 * np.pi * t + cls * np.pi
    x = np.stack([r * np.cos(a), r * np.sin(a)], 1) + 0.04 * rng.standard_normal((n, 2))
    return x, cls


def init(layers, width, rng):
    sizes = [2] + [width] * layers + [2]
    ws = [rng.normal(0, np.sqrt(2 / a), (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b) for b in sizes[1:]]
    return ws, bs


def step(ws, bs, vw, vb, x, y, lr=0.01, mu=0.9):
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
        vw[i] = mu * vw[i] - lr * gw
        vb[i] = mu * vb[i] - lr * gb
        ws[i] += vw[i]
        bs[i] += vb[i]
    return loss


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    rng = np.random.default_rng(0)
    x, y = spiral(400, rng)
    ws, bs = init(20, 16, rng)
    vw = [np.zeros_like(w) for w in ws]
    vb = [np.zeros_like(b) for b in bs]
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        idx = rng.integers(0, len(y), 32)
        step(ws, bs, vw, vb, x[idx], y[idx])
        n += 1
    print(json.dumps({"numpy": np.__version__, "steps_per_second": n / (time.perf_counter() - start)}))


if __name__ == "__main__":
    main()
