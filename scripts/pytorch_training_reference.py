#!/usr/bin/env python3
"""PyTorch trained as `drift4j train` trains, for comparing validation errors after the same epochs.

The same architecture as drift-dl4j's (Conv 3x3 same + ReLU, MaxPool 2 per encoder level; Conv +
ReLU, nearest Upsample 2 per decoder level; Conv 3x3 to the channels, sigmoid), the same settings
as `drift4j train` (Adam, learning rate 1e-3, betas 0.9/0.999, epsilon 1e-8, batch 128, 10%
validation, every epoch run) and the same seed policy, reproduced exactly: the validation split is
the first round(0.1 n) of a Fisher-Yates permutation drawn from java.util.SplittableRandom(seed)
(TrainingSplit), and epoch e's minibatches follow the permutation drawn from
SplittableRandom(seed * 31 + e) (TrainingRun), so both engines see the same validation images and
the same minibatches in the same order. Only the initial weights differ (each engine draws its
own): --init dl4j draws them as DL4J's XAVIER_UNIFORM does (U(+-sqrt(6 / (fan_in + fan_out))),
biases 0), --init torch keeps PyTorch's default.

Prints one JSON object: per epoch the mean training loss and the validation error as Drift4j
measures it (ReconstructionError.BINARY_CROSS_ENTROPY: per image the mean BCE per pixel, the
reconstruction clipped to [1e-7, 1 - 1e-7], natural logarithm; the mean over validation images).

Usage: pytorch_training_reference.py --images FILE [--epochs 3] [--seed 42] [--filters 32,32] [--init dl4j|torch]
                                      [--batch-size 128] [--validation-fraction 0.1] [--threads 2] [--count N]
Needs Debian's python3-torch; run it with /usr/bin/python3.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_reference import read_idx_images  # noqa: E402  (also exits with the fix if torch is missing)

import torch  # noqa: E402
from torch import nn  # noqa: E402

M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    """java.util.SplittableRandom(seed): nextInt(bound) as JDK 17 computes it."""

    def __init__(self, seed):
        self.seed = seed & M64

    def _next_int(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & M64
        z = self.seed
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & M64
        r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & M64) >> 32
        return r - (1 << 32) if r >= (1 << 31) else r  # as a Java int

    def next_int(self, bound):
        r = self._next_int()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if u + m - r < (1 << 31):  # Java: u + m - r >= 0 without int overflow
                return r
            u = (self._next_int() & 0xFFFFFFFF) >> 1


def permutation(n, random):
    """TrainingSplit.permutation: Fisher-Yates from the end."""
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = random.next_int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def java_seed(seed):
    return seed & M64  # a Java long's bits


def autoencoder(channels, filters):
    layers, c = [], channels
    for f in filters:
        layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c = f
    for f in reversed(filters):
        layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest")]
        c = f
    layers += [nn.Conv2d(c, channels, 3, padding=1), nn.Sigmoid()]
    return nn.Sequential(*layers)


def dl4j_init(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def drift4j_bce(x, y):
    """Per image mean BCE per pixel, y clipped to [1e-7, 1 - 1e-7], in float64; the mean over images."""
    x = x.double().flatten(1)
    y = y.double().flatten(1).clamp(1e-7, 1 - 1e-7)
    per_image = -(x * torch.log(y) + (1 - x) * torch.log(1 - y)).mean(dim=1)
    return per_image.mean().item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", required=True)
    p.add_argument("--count", type=int, default=0, help="use the first N images (default all)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--filters", default="32,32")
    p.add_argument("--init", choices=["dl4j", "torch"], default="dl4j")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--validation-fraction", type=float, default=0.1)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    images = read_idx_images(a.images)
    if a.count > 0:
        images = images[:a.count]
    n = images.shape[0]
    order = permutation(n, SplittableRandom(java_seed(a.seed)))
    val_count = int(round(a.validation_fraction * n))  # Java's Math.round: half up; no tie at these sizes
    validation = images[order[:val_count]]
    training = images[order[val_count:]]
    filters = [int(f) for f in a.filters.split(",")]
    model = autoencoder(images.shape[1], filters)
    if a.init == "dl4j":
        dl4j_init(model)
    opt = torch.optim.Adam(model.parameters(), lr=a.learning_rate, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.BCELoss()
    history = []
    for epoch in range(1, a.epochs + 1):
        model.train()
        shuffle = torch.tensor(permutation(training.shape[0], SplittableRandom(java_seed(a.seed * 31 + epoch))))
        losses, start = [], time.perf_counter()
        for b in range(0, training.shape[0], a.batch_size):
            x = training[shuffle[b:b + a.batch_size]]
            opt.zero_grad()
            loss = loss_fn(model(x), x)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            out = torch.cat([model(validation[i:i + 500]) for i in range(0, val_count, 500)])
        history.append({"epoch": epoch, "trainingLoss": sum(losses) / len(losses),
                        "validationError": drift4j_bce(validation, out),
                        "imagesPerSecond": training.shape[0] / seconds})
    print(json.dumps({"engine": "pytorch", "version": torch.__version__, "threads": a.threads, "images": a.images,
                      "count": n, "filters": filters, "init": a.init, "seed": a.seed, "epochs": a.epochs,
                      "batchSize": a.batch_size, "validationImages": val_count, "history": history}))


if __name__ == "__main__":
    main()
