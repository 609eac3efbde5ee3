"""ResNets in each released key layout, as PyTorch modules whose state_dict names are the layouts' own:
torchvision (conv1 7x7 + bn1), encoding (PyTorch-Encoding resnet50s: conv1.0/.3/.6 + bn1), v1c (mmcv ResNetV1c:
stem.0 .. stem.7), and hf (Hugging Face transformers' ResNetForImageClassification, microsoft/resnet-50:
resnet.embedder.embedder.convolution, resnet.encoder.stages.I.layers.J.layer.K / shortcut, classifier.1).
Used by make_fixtures.py (the small committed fixtures) and make_full_size.py (ResNet-50s written at test time).
"""
import json
import struct

import torch
from torch import nn


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

    def __init__(self, layout, stem, width, depths, classes):
        super().__init__()
        w = stem
        if layout == "torchvision":
            self.conv1, self.bn1, inp = nn.Conv2d(3, w, 7, 2, 3, bias=False), nn.BatchNorm2d(w), w
        elif layout == "encoding":
            self.conv1 = nn.Sequential(conv(3, w, 3, 2), nn.BatchNorm2d(w), nn.ReLU(), conv(w, w, 3), nn.BatchNorm2d(w), nn.ReLU(), conv(w, 2 * w, 3))
            self.bn1, inp = nn.BatchNorm2d(2 * w), 2 * w
        else:
            self.stem = nn.Sequential(conv(3, w, 3, 2), nn.BatchNorm2d(w), nn.ReLU(), conv(w, w, 3), nn.BatchNorm2d(w), nn.ReLU(),
                                      conv(w, 2 * w, 3), nn.BatchNorm2d(2 * w), nn.ReLU())
            inp = 2 * w
        for i, depth in enumerate(depths):
            planes = width * 2 ** i
            blocks = [Bottleneck(inp if j == 0 else planes * 4, planes, 2 if i > 0 and j == 0 else 1) for j in range(depth)]
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
            inp = planes * 4
        self.fc = nn.Linear(inp, classes)


class HfConvLayer(nn.Module):
    """transformers' ResNetConvLayer (and ResNetShortCut): a conv without bias named convolution, its BN normalization."""

    def __init__(self, i, o, k, s=1):
        super().__init__()
        self.convolution, self.normalization = conv(i, o, k, s), nn.BatchNorm2d(o)


class HfBottleneck(nn.Module):
    """ResNetBottleNeckLayer: shortcut where the shape changes; layer = 1x1, 3x3 (the stride), 1x1."""

    def __init__(self, inp, planes, stride):
        super().__init__()
        if stride != 1 or inp != planes * 4:
            self.shortcut = HfConvLayer(inp, planes * 4, 1, stride)
        self.layer = nn.Sequential(HfConvLayer(inp, planes, 1), HfConvLayer(planes, planes, 3, stride), HfConvLayer(planes, planes * 4, 1))


class HfResNet(nn.Module):
    """ResNetForImageClassification: resnet.embedder.embedder (7x7 + BN), resnet.encoder.stages.I.layers, classifier.1."""

    def __init__(self, stem, width, depths, classes):
        super().__init__()
        self.resnet = nn.Module()
        self.resnet.embedder = nn.Module()
        self.resnet.embedder.embedder = HfConvLayer(3, stem, 7, 2)
        self.resnet.encoder = nn.Module()
        stages, inp = [], stem
        for i, depth in enumerate(depths):
            planes = width * 2 ** i
            stage = nn.Module()
            stage.layers = nn.Sequential(*[HfBottleneck(inp if j == 0 else planes * 4, planes, 2 if i > 0 and j == 0 else 1) for j in range(depth)])
            stages.append(stage)
            inp = planes * 4
        self.resnet.encoder.stages = nn.ModuleList(stages)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(inp, classes))


def build(layout, stem, width, depths, classes):
    return HfResNet(stem, width, depths, classes) if layout == "hf" else ResNet(layout, stem, width, depths, classes)


def randomize(model):
    """Every tensor random (BN statistics too, so a mixed-up name cannot go unseen); counters distinct."""
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
