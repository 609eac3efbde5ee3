"""Writes the --pretrained fixtures: narrow ResNets in each released key layout (resnet_layouts.py), with sanet-tiny's
stem and layer1 shapes (specs/sanet-tiny.yaml; samples/SANet/Specs/sanet-tiny-standard.yaml for torchvision's stem)
and an fc. layer2..4 are left out to keep the files small: loading reports them missing, as PyTorch's strict=False would.

Run with Debian's PyTorch (python3-torch 1.13):  /usr/bin/python3 make_fixtures.py
See README.md beside this file.
"""
import json

import torch
from torch import nn

from resnet_layouts import build, cast, randomize, save_safetensors

STEM, WIDTH, DEPTHS, CLASSES = 16, 8, (1,), 3  # specs/sanet-tiny.yaml: stem_width 16, width 8, one block in layer1


def reference(state, path):
    """The reference for the tests, computed by PyTorch: each tensor's shape, first and last value and float64 sum."""
    with open(path, "w") as f:
        json.dump({k: {"shape": list(v.shape), "first": v.flatten()[0].item(), "last": v.flatten()[-1].item(),
                       "sum": v.double().sum().item()} for k, v in state.items()}, f, indent=0)


torch.manual_seed(14)
for layout in ("torchvision", "encoding", "v1c"):
    state = randomize(build(layout, STEM, WIDTH, DEPTHS, CLASSES))
    torch.save(state, f"{layout}-f32.pth")
    save_safetensors(cast(state, torch.bfloat16), f"{layout}-bf16.safetensors")
    if layout == "encoding":
        torch.save(cast(state, torch.float16), f"{layout}-f16.pth")
        save_safetensors(cast(state, torch.float16), f"{layout}-f16.safetensors")
        save_safetensors(state, f"{layout}-f32.safetensors")
        torch.save({"meta": {"epoch": 3}, "state_dict": state}, f"{layout}-wrapped.pth")
    reference(state, f"{layout}-reference.json")

# Refused inputs: a transposed (non-contiguous) tensor, a pickled module instead of a state_dict, the legacy format.
torch.save({"weight": torch.arange(12.0).reshape(3, 4).t()}, "noncontiguous.pth")
torch.save(nn.Linear(2, 1), "module.pth")
torch.save({"weight": torch.zeros(2)}, "legacy.pth", _use_new_zipfile_serialization=False)

# The full-size layouts' names and shapes (ResNet-50: width 64, blocks 3, 4, 6, 3, 1000 classes), kept as a record of
# PyTorch's names; make_full_size.py writes the full-size files themselves at test time (100 MB each).
for layout, stem in (("torchvision", 64), ("encoding", 64), ("v1c", 32)):
    with open(f"{layout}-resnet50-shapes.json", "w") as f:
        json.dump({k: list(v.shape) for k, v in build(layout, stem, 64, (3, 4, 6, 3), 1000).state_dict().items()}, f, indent=0)

# Prefixed and renamed files (seeded apart, so the files above stay as they were):
torch.manual_seed(15)
# torchvision keys under module., as DataParallel/DistributedDataParallel's state_dict() has them
model = build("torchvision", STEM, WIDTH, DEPTHS, CLASSES)
randomize(model)
state = nn.DataParallel(model).state_dict()
torch.save(state, "torchvision-module.pth")
reference(state, "torchvision-module-reference.json")


class Segmentor(nn.Module):
    """An mmseg EncoderDecoder's names: the ResNetV1c backbone (no fc) under backbone., its heads beside it."""

    def __init__(self):
        super().__init__()
        self.backbone = build("v1c", STEM, WIDTH, DEPTHS, CLASSES)
        del self.backbone.fc
        self.decode_head = nn.Module()
        self.decode_head.conv_seg = nn.Conv2d(WIDTH * 4, CLASSES, 1)
        self.auxiliary_head = nn.Module()
        self.auxiliary_head.conv_seg = nn.Conv2d(WIDTH * 4, CLASSES, 1)


state = randomize(Segmentor())
torch.save({"meta": {"mmseg_version": "0.30.0", "iter": 80000}, "state_dict": state}, "v1c-mmseg.pth")
reference(state, "v1c-mmseg-reference.json")

# transformers' ResNetForImageClassification names, as its model.safetensors stores them (float32)
state = randomize(build("hf", STEM, WIDTH, DEPTHS, CLASSES))
save_safetensors(state, "hf-f32.safetensors")
reference(state, "hf-reference.json")
