#!/usr/bin/env python3
"""Writes www/data/digits.bin.gz: the 8 x 8 handwritten digits that scikit-learn ships (its own copy
of the test set of UCI's "Optical Recognition of Handwritten Digits", 1,797 images, 10 classes),
read from the installed package, in the compact form the simulator reads (src/core/digits.rs):

    b"DG01", count (u16, little-endian), count labels (one byte each, 0-9),
    count x 64 pixels (one byte each, 0-16, row by row), the whole gzip-compressed.

Usage: python3 scripts/digits.py   (needs scikit-learn: pip install scikit-learn)
"""
import gzip
import pathlib
import struct

from sklearn.datasets import load_digits

digits = load_digits()
images = digits.images.astype(int)
labels = digits.target.astype(int)
assert images.shape == (1797, 8, 8) and images.min() >= 0 and images.max() <= 16
raw = b"DG01" + struct.pack("<H", len(labels)) + bytes(labels.tolist()) + bytes(images.reshape(-1).tolist())
out = pathlib.Path(__file__).resolve().parent.parent / "www" / "data" / "digits.bin.gz"
out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
print(f"{out}: {len(labels)} images, {len(raw)} bytes, {out.stat().st_size} bytes compressed")
