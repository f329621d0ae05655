#!/usr/bin/env python3
"""PyTorch reference for Drift4j's speed benchmark.

Runs the reference convolutional autoencoder (the same architecture as drift-dl4j's default) on the
images of an IDX file and prints one JSON object: inference images/s at several batch sizes and
training images/s for one epoch (Adam, BCE). Needs Debian's python3-torch (apt-get install
python3-torch); run it with /usr/bin/python3.

Usage: pytorch_reference.py --images FILE | --shape CxHxW --synthetic N  [--threads 2] [--batch-sizes 1,32,256] [--seconds 3]
                            [--train-batch 128] [--train-images N] [--train-only]
"""
import argparse
import gzip
import json
import struct
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:  # a clear failure with the fix
    sys.exit("pytorch_reference.py needs PyTorch and NumPy: apt-get install python3-torch (then use /usr/bin/python3): %s" % e)


def read_idx_images(path):
    """Grey idx3 (magic 0x803) or colour idx4 (0x804: count, channels, rows, columns) -> N x C x H x W in [0, 1]."""
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        if magic not in (0x803, 0x804):
            sys.exit("%s: not an IDX image file (magic 0x%08x)" % (path, magic))
        channels = struct.unpack(">I", f.read(4))[0] if magic == 0x804 else 1
        rows, cols = struct.unpack(">II", f.read(8))
        size = count * channels * rows * cols
        data = np.frombuffer(f.read(size), dtype=np.uint8)
    if data.size != size:
        sys.exit("%s: truncated" % path)
    return torch.from_numpy(data.reshape(count, channels, rows, cols).astype(np.float32) / 255.0)


def reference_autoencoder(channels=1, filters=32):
    return nn.Sequential(
        nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(filters, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(filters, filters, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Conv2d(filters, filters, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Conv2d(filters, channels, 3, padding=1), nn.Sigmoid())


def inference_rate(model, images, batch, seconds):
    x = images[:batch]
    with torch.no_grad():
        for _ in range(3):
            model(x)
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            model(x)
            count += batch
    return count / (time.perf_counter() - start)


def training_rate(model, images, batch):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    model.train()
    for i in range(2):  # warm-up
        x = images[i * batch:(i + 1) * batch]
        opt.zero_grad(); loss_fn(model(x), x).backward(); opt.step()
    start = time.perf_counter()
    perm = torch.randperm(images.shape[0], generator=torch.Generator().manual_seed(42))
    for i in range(0, images.shape[0], batch):
        x = images[perm[i:i + batch]]
        opt.zero_grad(); loss_fn(model(x), x).backward(); opt.step()
    return images.shape[0] / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", help="IDX image file (or use --shape with --synthetic)")
    p.add_argument("--shape", help="CxHxW of synthetic images, e.g. 3x128x128")
    p.add_argument("--synthetic", type=int, default=0, help="number of synthetic (uniform random) images")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-sizes", default="1,32,256")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--train-batch", type=int, default=128)
    p.add_argument("--train-images", type=int, default=0)
    p.add_argument("--train-only", action="store_true", help="measure training only (no inference rates)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    if a.images:
        images = read_idx_images(a.images)
    elif a.shape and a.synthetic > 0:
        c, h, w = (int(v) for v in a.shape.split("x"))
        images = torch.rand(a.synthetic, c, h, w, generator=torch.Generator().manual_seed(42))
    else:
        sys.exit("give --images FILE, or --shape CxHxW with --synthetic N")
    model = reference_autoencoder(images.shape[1])
    model.eval()
    inference = {} if a.train_only else {
        str(b): inference_rate(model, images, int(b), a.seconds) for b in a.batch_sizes.split(",")}
    train_images = images[:a.train_images] if a.train_images > 0 else images
    training = training_rate(model, train_images, a.train_batch)
    print(json.dumps({"engine": "pytorch", "version": torch.__version__, "threads": a.threads,
                      "shape": "x".join(str(v) for v in images.shape[1:]),
                      "inferenceImagesPerSecond": inference, "trainingImagesPerSecond": training,
                      "trainingImages": int(train_images.shape[0]), "trainingBatch": a.train_batch}))


if __name__ == "__main__":
    main()
