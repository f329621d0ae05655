#!/usr/bin/env python3
"""Fashion-MNIST made into larger and colour images, deterministically, as an IDX file.

There is no real colour data set on the measurement machine, so the architecture grid
(docs/performance.md, "Architecture defaults per image size") trains on this transform of
Fashion-MNIST's training images:

  * size: each 28x28 image is scaled to HxW bilinearly (half-pixel centres, as PIL and
    torch's interpolate(align_corners=False) do), by two fixed interpolation matrices;
  * colour (C = 3): image k of the output is a composite of two Fashion-MNIST images: image
    2k (the garment) in colour u over image 2k+1 (the background) in colour v,
    rgb = clip(u * A + v * B * (1 - A)), with u, v drawn uniformly from [0.2, 1]^3 per output
    image by numpy's default_rng(SEED);
  * grey (C = 1): image k is Fashion-MNIST image k, scaled.

Pixels are rounded to bytes. The output is raw IDX: grey images as the usual idx3 file (magic
0x00000803: count, rows, columns), colour images as idx4 (magic 0x00000804: count, channels,
rows, columns, pixels channel-major), which `drift4j train --images` reads.

Usage: sized_fashion_mnist.py --shape CxHxW --count N --out FILE [--source train-images-idx3-ubyte.gz] [--seed 17]
Needs NumPy (Debian's /usr/bin/python3 has it).
"""
import argparse
import gzip
import struct
import sys

import numpy as np

DEFAULT_SOURCE = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def read_idx3(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803:
            sys.exit("%s: not an IDX image file (magic 0x%08x)" % (path, magic))
        data = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    return data.reshape(count, rows, cols)


def bilinear_matrix(out_size, in_size):
    """Rows: output pixels; columns: weights of the input pixels (half-pixel centres, edges clamped)."""
    m = np.zeros((out_size, in_size), dtype=np.float64)
    scale = in_size / out_size
    for o in range(out_size):
        x = (o + 0.5) * scale - 0.5
        x = min(max(x, 0.0), in_size - 1.0)
        lo = int(np.floor(x))
        hi = min(lo + 1, in_size - 1)
        t = x - lo
        m[o, lo] += 1 - t
        m[o, hi] += t
    return m


def resize(images, height, width):
    """images: N x h x w floats in [0, 1] -> N x height x width."""
    mh = bilinear_matrix(height, images.shape[1])
    mw = bilinear_matrix(width, images.shape[2])
    return np.einsum("yh,nhw,xw->nyx", mh, images, mw, optimize=True)


def transform(source, channels, height, width, count, seed):
    needed = count * (2 if channels == 3 else 1)
    if needed > source.shape[0]:
        sys.exit("--count %d needs %d source images, the source has %d" % (count, needed, source.shape[0]))
    images = source[:needed].astype(np.float64) / 255.0
    out = np.empty((count, channels, height, width), dtype=np.uint8)
    rng = np.random.default_rng(seed)
    step = 500  # bounded memory at 128x128
    for start in range(0, count, step):
        end = min(count, start + step)
        if channels == 1:
            out[start:end, 0] = np.rint(np.clip(resize(images[start:end], height, width), 0, 1) * 255)
        else:
            a = resize(images[2 * start:2 * end:2], height, width)
            b = resize(images[2 * start + 1:2 * end:2], height, width)
            u = rng.uniform(0.2, 1.0, size=(end - start, 3, 1, 1))
            v = rng.uniform(0.2, 1.0, size=(end - start, 3, 1, 1))
            rgb = u * a[:, None] + v * b[:, None] * (1 - a[:, None])
            out[start:end] = np.rint(np.clip(rgb, 0, 1) * 255)
    return out


def write_idx(path, images):
    n, c, h, w = images.shape
    with open(path, "wb") as f:
        if c == 1:
            f.write(struct.pack(">IIII", 0x803, n, h, w))
        else:
            f.write(struct.pack(">IIIII", 0x804, n, c, h, w))
        f.write(images.tobytes())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shape", required=True, help="CxHxW, C 1 or 3, e.g. 3x64x64")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--source", default=DEFAULT_SOURCE)
    p.add_argument("--seed", type=int, default=17)
    a = p.parse_args()
    c, h, w = (int(v) for v in a.shape.split("x"))
    if c not in (1, 3):
        sys.exit("--shape channels must be 1 or 3, but was %d" % c)
    write_idx(a.out, transform(read_idx3(a.source), c, h, w, a.count, a.seed))


if __name__ == "__main__":
    main()
