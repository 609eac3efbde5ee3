#!/usr/bin/python3
"""Do NetSpec and PyTorch compute the same thing? Compares another implementation's eval-mode outputs
(safetensors: mask, dense, cat) with this PyTorch network run on the same weights and inputs.

  check.py --net sanet-tiny --weights W.safetensors --inputs I.safetensors --other netspec-out.safetensors
  check.py --net sanet-tiny --weights W.safetensors --inputs I.safetensors --self-test

Tolerance, derived per output rather than guessed. Let y64 be PyTorch's output in float64 (the same
network and weights, converted: rounding error ~1e-16, taken as exact) and y32 PyTorch's float32 output.
e32 = max|y32 - y64| is the float32 rounding error of one competent implementation on exactly these
weights and inputs: it already includes how the network amplifies rounding (depth, BN scaling, the
reductions of length C*R*S). Another float32 implementation sums in another order, so its error is
of the same size but not the same values. We accept the other side when

    max|y_other - y64| <= F * e32 + 8 * eps32 * max|y64|     (F = 4, eps32 = 2^-23)

F = 4 allows the other side twice the error of PyTorch plus the same again for unlucky orders
(e.g. long sequential sums where oneDNN uses blocked ones); the second term is a floor of a few ulps
of the output scale for outputs that come out (almost) exact. --self-test shows the bound is not
vacuous: PyTorch in channels-last layout (other kernels, other summation orders) must pass, and the
same network with one BN running variance changed by 0.1% must fail.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import common  # noqa: E402
import nets  # noqa: E402
import st  # noqa: E402
from bench import load_state  # noqa: E402

EPS32 = 2.0 ** -23


def outputs(net, image, dtype, channels_last=False):
    net = net.to(dtype)
    x = image.to(dtype)
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    net.eval()
    with torch.no_grad():
        out = net(x)
    net.to(torch.float32).to(memory_format=torch.contiguous_format)
    return {k: v.double().contiguous() for k, v in out.items()}


def compare(ref64, ref32, other, factor):
    rows, ok = [], True
    for name in ref64:
        if name not in other:
            rows.append({"output": name, "ok": False, "why": "missing in other"})
            ok = False
            continue
        y64, y32, yo = ref64[name].flatten(), ref32[name].flatten(), other[name].double().flatten()
        if yo.numel() != y64.numel():
            rows.append({"output": name, "ok": False, "why": f"size {yo.numel()} != {y64.numel()}"})
            ok = False
            continue
        scale = y64.abs().max().item()
        e32 = (y32 - y64).abs().max().item()
        tol = factor * e32 + 8 * EPS32 * scale
        err = (yo - y64).abs().max().item()
        r = {"output": name, "numel": y64.numel(), "max_abs_ref": scale, "pytorch_f32_err": e32, "tolerance": tol,
             "other_err": err, "other_vs_pytorch_f32": (yo - y32).abs().max().item(), "ok": err <= tol}
        ok &= r["ok"]
        rows.append(r)
    return ok, rows


def show(title, ok, rows):
    print(f"{title}: {'PASS' if ok else 'FAIL'}")
    for r in rows:
        if "why" in r:
            print(f"  {r['output']}: {r['why']}")
        else:
            print(f"  {r['output']:6s} n={r['numel']:<8d} |y|max={r['max_abs_ref']:.3e}  pytorch-f32 err={r['pytorch_f32_err']:.2e}"
                  f"  tol={r['tolerance']:.2e}  other err={r['other_err']:.2e}  {'ok' if r['ok'] else 'TOO LARGE'}")


def main():
    ap = argparse.ArgumentParser(description="compare outputs against PyTorch (float32 and float64)")
    ap.add_argument("--net", required=True)
    ap.add_argument("--weights", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--other", help="the other side's outputs (safetensors)")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--factor", type=float, default=4.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the comparison rows here")
    a = ap.parse_args()

    common.set_threads(a.threads)
    net = nets.build(a.net)
    load_state(net, a.weights)
    t, _ = st.load(a.inputs)
    image = t["image"].float()
    ref64 = outputs(net, image, torch.float64)
    ref32 = outputs(net, image, torch.float32)
    all_ok = True
    report = {}
    if a.other:
        other, _ = st.load(a.other)
        ok, rows = compare(ref64, ref32, other, a.factor)
        show(f"{a.net}: other vs PyTorch", ok, rows)
        all_ok &= ok
        report["other"] = rows
    if a.self_test:
        cl = outputs(net, image, torch.float32, channels_last=True)
        ok, rows = compare(ref64, ref32, cl, a.factor)
        show(f"{a.net}: self-test, PyTorch channels-last (must pass)", ok, rows)
        all_ok &= ok
        report["channels_last"] = rows
        bns = [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
        bns[len(bns) // 2].running_var.mul_(1.001)
        bad = outputs(net, image, torch.float32)
        ok, rows = compare(ref64, ref32, bad, a.factor)
        show(f"{a.net}: self-test, one BN running_var x1.001 (must fail)", ok, rows)
        all_ok &= not ok
        report["perturbed"] = rows
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
