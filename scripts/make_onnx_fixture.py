#!/usr/bin/env python3
"""Makes drift-onnx's test fixture: a small autoencoder exported to ONNX by PyTorch, not by Drift4j.

Writes drift-onnx/src/test/resources/pytorch-autoencoder.onnx (the reference architecture with 8
filters, seeded weights, dynamic batch axis) and pytorch-autoencoder.expected.json (PyTorch's own
reconstructions of two deterministic images, pixel p of image i = ((7p + 13i) mod 256) / 255), so
that the Java test checks ONNX Runtime against the tool that made the model.

Run with Debian's PyTorch: /usr/bin/python3 scripts/make_onnx_fixture.py
"""
import json
import os
import sys

try:
    import torch
    from torch import nn
except ImportError as e:
    sys.exit("needs PyTorch: apt-get install python3-torch, then /usr/bin/python3: %s" % e)

here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, "..", "drift-onnx", "src", "test", "resources")
torch.manual_seed(7)
f = 8
model = nn.Sequential(
    nn.Conv2d(1, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(f, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(f, f, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
    nn.Conv2d(f, f, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
    nn.Conv2d(f, 1, 3, padding=1), nn.Sigmoid()).eval()
x = torch.tensor([[((7 * p + 13 * i) % 256) / 255.0 for p in range(784)] for i in range(2)]).reshape(2, 1, 28, 28)
with torch.no_grad():
    y = model(x)
path = os.path.join(out_dir, "pytorch-autoencoder.onnx")
torch.onnx.export(model, x, path, input_names=["images"], output_names=["reconstructions"],
                  dynamic_axes={"images": {0: "batch"}, "reconstructions": {0: "batch"}}, opset_version=13)
with open(os.path.join(out_dir, "pytorch-autoencoder.expected.json"), "w") as fh:
    json.dump({"torch": torch.__version__, "reconstructions": y.reshape(2, 784).tolist()}, fh)
print("wrote", path, os.path.getsize(path), "bytes")

# Two models that are not image autoencoders, for the error tests.
rank2 = nn.Sequential(nn.Linear(4, 4), nn.Sigmoid()).eval()
torch.onnx.export(rank2, torch.zeros(1, 4), os.path.join(out_dir, "not-an-image-model.onnx"),
                  input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
                  opset_version=13)
shrinking = nn.Sequential(nn.Conv2d(1, 1, 3), nn.Sigmoid()).eval()
torch.onnx.export(shrinking, torch.zeros(1, 1, 28, 28), os.path.join(out_dir, "shrinking-model.onnx"),
                  input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
                  opset_version=13)
print("wrote the error fixtures")
