#!/usr/bin/python3
"""Multiply-adds of convolutions and linear layers in one forward pass (the bulk of the work):
   flops.py --net sanet-r50 --batch 1 --size 240. A training step costs about 3x the forward
   (backward: input and weight gradients, each as much as the forward)."""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import nets  # noqa: E402


def count(net, batch, size):
    macs = {"n": 0}

    def conv_hook(m, inp, out):
        k = m.weight.shape
        macs["n"] += out.numel() * k[1] * k[2] * k[3]

    def lin_hook(m, inp, out):
        macs["n"] += out.numel() * m.in_features

    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, torch.nn.Linear):
            m.register_forward_hook(lin_hook)
    net.eval()
    with torch.no_grad():
        net(torch.zeros(batch, 3, size, size, device="meta"))
    return macs["n"]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--net", required=True)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--size", type=int, default=240)
    a = ap.parse_args()
    net = nets.build(a.net).to("meta")
    m = count(net, a.batch, a.size)
    print(f"{a.net} b{a.batch} {a.size}x{a.size}: {m / 1e9:.2f} GMAC forward = {2 * m / 1e9:.2f} GFLOP; "
          f"training step ~ {6 * m / 1e9:.1f} GFLOP")
