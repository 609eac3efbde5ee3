#!/usr/bin/python3
"""Per-op PyTorch numbers for the same cases as NetSpec.Benchmarks' op benchmarks (OpCases.cs).

  ops.py --threads 2 [--repeats 7] [--only conv3x3] [--json]

Each op: 2 untimed runs, then the median of --repeats timed runs. GFLOP/s counts 2 flops per
multiply-add of the direct algorithm (2*N*K*C/g*R*S*P*Q for a conv, for each of forward, backward
input and backward weight); GB/s counts the bytes an op must read and write once (float32).
Backward input and weight are timed through torch.nn.grad (each one alone, as NetSpec's BackwardInput
and BackwardParams are separate calls).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import common  # noqa: E402

# name: (N, C, H, W, K, R, stride, pad, dilation) -- keep in step with OpCases.cs
CONVS = {
    "conv3x3": (8, 64, 56, 56, 64, 3, 1, 1, 1),
    "conv1x1": (8, 256, 28, 28, 64, 1, 1, 0, 1),
    "conv3x3_s2": (8, 64, 56, 56, 64, 3, 2, 1, 1),
    "conv3x3_d2": (8, 64, 28, 28, 64, 3, 1, 2, 2),
}
GEMM = (512, 512, 512)
BN = (8, 64, 56, 56)
RESIZE = ((8, 64, 28, 28), (56, 56))
CE = (8, 21, 96, 96)


def conv_cases(name, case, reps, g):
    n, c, h, w, k, r, s, p, d = case
    x = torch.randn(n, c, h, w, generator=g)
    wt = torch.randn(k, c, r, r, generator=g) * 0.05
    y = F.conv2d(x, wt, None, s, p, d)
    dy = torch.randn(y.shape, generator=g)
    flops = 2.0 * n * k * c * r * r * y.shape[2] * y.shape[3]
    out = []
    with torch.no_grad():
        out.append((f"{name} forward", common.time_it(lambda: F.conv2d(x, wt, None, s, p, d), 2, reps), flops, None))
        out.append((f"{name} backward-input", common.time_it(
            lambda: torch.nn.grad.conv2d_input(x.shape, wt, dy, s, p, d), 2, reps), flops, None))
        out.append((f"{name} backward-weight", common.time_it(
            lambda: torch.nn.grad.conv2d_weight(x, wt.shape, dy, s, p, d), 2, reps), flops, None))
    return out


def other_cases(reps, g):
    out = []
    m, n, k = GEMM
    a, b = torch.randn(m, k, generator=g), torch.randn(k, n, generator=g)
    with torch.no_grad():
        out.append((f"gemm {m}x{n}x{k}", common.time_it(lambda: a @ b, 2, reps), 2.0 * m * n * k, None))

    x = torch.randn(*BN, generator=g)
    bn = torch.nn.BatchNorm2d(BN[1]).train()
    nbytes = x.numel() * 4
    with torch.no_grad():
        # bytes as OpCases.cs: each tensor read once and written once (x read, y written)
        out.append(("batchnorm forward (train) +relu", common.time_it(lambda: F.relu(bn(x)), 2, reps), None, 2 * nbytes))
        bn.eval()
        out.append(("batchnorm forward (eval) +relu", common.time_it(lambda: F.relu(bn(x)), 2, reps), None, 2 * nbytes))
        bn.train()
    xg = x.clone().requires_grad_(True)
    yb = F.relu(bn(xg))
    dyb = torch.randn(yb.shape, generator=g)
    # backward: read x, y, dy, write dx
    out.append(("batchnorm backward +relu", common.time_it(
        lambda: torch.autograd.grad(yb, [xg, bn.weight, bn.bias], dyb, retain_graph=True), 2, reps), None, 4 * nbytes))

    (n_, c_, h_, w_), (oh, ow) = RESIZE
    xr = torch.randn(n_, c_, h_, w_, generator=g)
    rb = (xr.numel() + n_ * c_ * oh * ow) * 4
    with torch.no_grad():
        out.append(("resize bilinear ac 28->56 forward", common.time_it(
            lambda: F.interpolate(xr, size=(oh, ow), mode="bilinear", align_corners=True), 2, reps), None, rb))
    xr2 = xr.clone().requires_grad_(True)
    yr = F.interpolate(xr2, size=(oh, ow), mode="bilinear", align_corners=True)
    dyr = torch.randn(yr.shape, generator=g)
    out.append(("resize bilinear ac 28->56 backward", common.time_it(
        lambda: torch.autograd.grad(yr, xr2, dyr, retain_graph=True), 2, reps), None, rb))

    n_, k_, h_, w_ = CE
    logits = torch.randn(n_, k_, h_, w_, generator=g)
    labels = torch.randint(0, k_, (n_, h_, w_), generator=g)
    labels[torch.rand(n_, h_, w_, generator=g) < 0.05] = 255
    cb = logits.numel() * 4 + labels.numel() * 4
    with torch.no_grad():
        out.append(("softmax CE forward", common.time_it(
            lambda: F.cross_entropy(logits, labels, ignore_index=255), 2, reps), None, cb))
    lg = logits.clone().requires_grad_(True)
    loss = F.cross_entropy(lg, labels, ignore_index=255)
    out.append(("softmax CE backward", common.time_it(
        lambda: torch.autograd.grad(loss, lg, retain_graph=True), 2, reps), None, cb + logits.numel() * 4))
    cat = torch.randn(n_, k_, generator=g)
    lb = labels.numel() * 4
    with torch.no_grad():
        # presence targets from the label map + BCE, as NetSpec's BceWithLogitsPresence
        out.append(("BCE presence forward", common.time_it(
            lambda: F.binary_cross_entropy_with_logits(cat, torch.zeros(n_, k_ + 1).scatter_(
                1, torch.where(labels == 255, torch.full_like(labels, k_), labels).reshape(n_, -1), 1.0)[:, :k_]), 2, reps), None, lb))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--only", help="run only cases whose name starts with this")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    common.set_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    rows = []
    for name, case in CONVS.items():
        if not a.only or name.startswith(a.only):
            rows += conv_cases(name, case, a.repeats, g)
    if not a.only or not a.only.startswith("conv"):
        rows += [r for r in other_cases(a.repeats, g) if not a.only or r[0].startswith(a.only)]
    res = []
    for name, times, flops, nbytes in rows:
        s = common.summary(times)
        r = {"op": name, "median_ms": s["median_ms"], "min_ms": s["min_ms"]}
        if flops:
            r["gflops"] = flops / (s["median_ms"] * 1e-3) / 1e9
        if nbytes:
            r["gbps"] = nbytes / (s["median_ms"] * 1e-3) / 1e9
        res.append(r)
    if a.json:
        print(json.dumps({"side": "pytorch", "threads": a.threads, "torch": torch.__version__, "cpu": common.cpu_name(), "ops": res}))
    else:
        print(f"PyTorch {torch.__version__}, {a.threads} threads, {common.cpu_name()}; median of {a.repeats} after 2 warm-up")
        for r in res:
            extra = f"{r['gflops']:7.1f} GFLOP/s" if "gflops" in r else f"{r['gbps']:7.2f} GB/s"
            print(f"  {r['op']:40s} {r['median_ms']:9.3f} ms  {extra}")


if __name__ == "__main__":
    main()
