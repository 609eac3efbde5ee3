"""Writes full-size ResNet-50s (width 64, blocks 3, 4, 6, 3, 1000 classes; about 100 MB each) in each layout into
the folder given, for tests/NetSpec.SANet.Tests/Checkpoints/FullSizePretrainedTests.cs, which runs this at test time
(the files are too large to commit):
  encoding.pth              PyTorch-Encoding resnet50s (deep stem 3->64->64->128), bare state_dict   -> sanet-r50
  v1c-mmseg.pth             mmcv ResNetV1c (stem 3->32->32->64) under backbone., in {"meta", "state_dict"} -> sanet-r50-v1c
  torchvision-module.pth    torchvision resnet50 under module. (DataParallel)                       -> sanet-r50-standard
  hf.safetensors            transformers' microsoft/resnet-50 names, float32                         -> sanet-r50-standard
Usage: /usr/bin/python3 make_full_size.py OUT_DIR   (Debian's python3-torch)
"""
import sys

import torch
from torch import nn

from resnet_layouts import build, randomize, save_safetensors

out = sys.argv[1]
torch.manual_seed(50)
size = dict(width=64, depths=(3, 4, 6, 3), classes=1000)
torch.save(randomize(build("encoding", 64, **size)), f"{out}/encoding.pth")

backbone = build("v1c", 32, **size)
del backbone.fc
segmentor = nn.Module()
segmentor.backbone = backbone
segmentor.decode_head = nn.Module()
segmentor.decode_head.conv_seg = nn.Conv2d(2048, 150, 1)
torch.save({"meta": {"iter": 160000}, "state_dict": randomize(segmentor)}, f"{out}/v1c-mmseg.pth")

model = build("torchvision", 64, **size)
randomize(model)
torch.save(nn.DataParallel(model).state_dict(), f"{out}/torchvision-module.pth")

save_safetensors(randomize(build("hf", 64, **size)), f"{out}/hf.safetensors")
