"""Writes the --pretrained fixtures: narrow ResNets in each released key layout, with sanet-tiny's stem and layer1
shapes (specs/sanet-tiny.yaml; samples/SANet/Specs/sanet-tiny-standard.yaml for torchvision's stem) and an fc.
layer2..4 are left out to keep the files small: loading reports them missing, as PyTorch's strict=False would.

Run with Debian's PyTorch (python3-torch 1.13):  /usr/bin/python3 make_fixtures.py
See README.md beside this file.
"""
import json
import struct

import torch
from torch import nn

STEM, WIDTH, DEPTHS, CLASSES = 16, 8, (1,), 3  # specs/sanet-tiny.yaml: stem_width 16, width 8, one block in layer1


def conv(i, o, k, s=1):
    return nn.Conv2d(i, o, k, s, k // 2, bias=False)


class Bottleneck(nn.Module):
    def __init__(self, inp, planes, stride):
        super().__init__()
        self.conv1, self.bn1 = conv(inp, planes, 1), nn.BatchNorm2d(planes)
        self.conv2, self.bn2 = conv(planes, planes, 3, stride), nn.BatchNorm2d(planes)
        self.conv3, self.bn3 = conv(planes, planes * 4, 1), nn.BatchNorm2d(planes * 4)
        if stride != 1 or inp != planes * 4:
            self.downsample = nn.Sequential(conv(inp, planes * 4, 1, stride), nn.BatchNorm2d(planes * 4))


class ResNet(nn.Module):
    """layout: torchvision (conv1 7x7 + bn1), encoding (conv1.0/.3/.6 + bn1), v1c (stem.0 .. stem.7)."""

    def __init__(self, layout):
        super().__init__()
        w = STEM
        if layout == "torchvision":
            self.conv1, self.bn1, inp = nn.Conv2d(3, w, 7, 2, 3, bias=False), nn.BatchNorm2d(w), w
        elif layout == "encoding":
            self.conv1 = nn.Sequential(conv(3, w, 3, 2), nn.BatchNorm2d(w), nn.ReLU(), conv(w, w, 3), nn.BatchNorm2d(w), nn.ReLU(), conv(w, 2 * w, 3))
            self.bn1, inp = nn.BatchNorm2d(2 * w), 2 * w
        else:
            self.stem = nn.Sequential(conv(3, w, 3, 2), nn.BatchNorm2d(w), nn.ReLU(), conv(w, w, 3), nn.BatchNorm2d(w), nn.ReLU(),
                                      conv(w, 2 * w, 3), nn.BatchNorm2d(2 * w), nn.ReLU())
            inp = 2 * w
        for i, depth in enumerate(DEPTHS):
            planes = WIDTH * 2 ** i
            blocks = [Bottleneck(inp if j == 0 else planes * 4, planes, 2 if i > 0 and j == 0 else 1) for j in range(depth)]
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
            inp = planes * 4
        self.fc = nn.Linear(inp, CLASSES)


def randomized(layout):
    """Every tensor random (BN statistics too, so a mixed-up name cannot go unseen); counters distinct."""
    model = ResNet(layout)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.dtype == torch.int64:
                t.fill_(sum(map(ord, name)) % 1000)
            elif name.endswith("running_var"):
                t.uniform_(0.5, 2)
            else:
                t.normal_(0, 0.5)
    return model.state_dict()


SAFE = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def save_safetensors(state, path):
    """The safetensors layout (8-byte LE header length, JSON header, data), written by hand."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": SAFE[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def cast(state, dtype):
    return {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in state.items()}


torch.manual_seed(14)
for layout in ("torchvision", "encoding", "v1c"):
    state = randomized(layout)
    torch.save(state, f"{layout}-f32.pth")
    save_safetensors(cast(state, torch.bfloat16), f"{layout}-bf16.safetensors")
    if layout == "encoding":
        torch.save(cast(state, torch.float16), f"{layout}-f16.pth")
        save_safetensors(cast(state, torch.float16), f"{layout}-f16.safetensors")
        save_safetensors(state, f"{layout}-f32.safetensors")
        torch.save({"meta": {"epoch": 3}, "state_dict": state}, f"{layout}-wrapped.pth")
    # the reference for the tests, computed by PyTorch: each tensor's shape, first and last value and float64 sum
    with open(f"{layout}-reference.json", "w") as f:
        json.dump({k: {"shape": list(v.shape), "first": v.flatten()[0].item(), "last": v.flatten()[-1].item(),
                       "sum": v.double().sum().item()} for k, v in state.items()}, f, indent=0)

# Refused inputs: a transposed (non-contiguous) tensor, a pickled module instead of a state_dict, the legacy format.
torch.save({"weight": torch.arange(12.0).reshape(3, 4).t()}, "noncontiguous.pth")
torch.save(nn.Linear(2, 1), "module.pth")
torch.save({"weight": torch.zeros(2)}, "legacy.pth", _use_new_zipfile_serialization=False)

# The full-size layouts' names and shapes (ResNet-50: width 64, blocks 3, 4, 6, 3, 1000 classes), which the tests
# fill with values at run time and load into sanet-r50 and its variants: 100 MB each would be too large to commit.
STEM, WIDTH, DEPTHS, CLASSES = 64, 64, (3, 4, 6, 3), 1000
for layout, stem in (("torchvision", 64), ("encoding", 64), ("v1c", 32)):
    STEM = stem
    with open(f"{layout}-resnet50-shapes.json", "w") as f:
        json.dump({k: list(v.shape) for k, v in ResNet(layout).state_dict().items()}, f, indent=0)
