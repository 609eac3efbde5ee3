#!/usr/bin/python3
"""Times a NetSpec network written in plain PyTorch, the way NetSpec.Benchmarks --peer-json times it.

  bench.py --net sanet-tiny --mode train --batch 8 --size 96 --repeats 7 --threads 2
  bench.py --net sanet-r50 --mode forward --batch 1 --size 240 --repeats 5 --threads 2

forward: eval mode (running BN statistics, no dropout) under torch.no_grad(), as INetwork.Forward(false).
train:   one full step: zero grads, forward in training mode, L = L_mask + 0.2 L_cat + 0.8 L_den
         (FCN: L_mask only), backward, SGD (momentum 0.9, weight decay 1e-4, head 10x lr, poly lr).
Each case: --warmup untimed steps (default 2), then --repeats timed steps (>= 5); the median is the
number reported. Inputs are made once and stay in memory (no data loading is timed).

Memory: peak_rss_delta_bytes = (peak resident set during warm-up + timed steps) - (resident set just
before the first step, after building the model, its weights and the inputs). The peak is reset with
/proc/self/clear_refs, so it is the high-water mark of these steps alone. It counts what the steps
make resident: activations, gradients, optimizer state (allocated in the first step), the caching of
PyTorch's CPU allocator (none: CPU tensors go back to malloc), oneDNN scratch and freed-but-not-returned
malloc arenas. It does not count the weights, the inputs or the interpreter.

Also: --weights F loads a safetensors state_dict (names must match exactly), --save-weights F writes
one, --inputs/--save-inputs the same for the image and labels, --dump-outputs F writes the eval-mode
outputs (mask, dense, cat) before any timed step. --json prints one JSON line (for bench-vs-pytorch.sh).
"""

import argparse
import json
import statistics
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import common  # noqa: E402
import nets  # noqa: E402
import st  # noqa: E402


def load_state(net, path):
    tensors, _ = st.load(path)
    sd = net.state_dict()
    missing = [n for n in sd if n not in tensors]
    extra = [n for n in tensors if n not in sd]
    bad = [n for n in sd if n in tensors and list(tensors[n].shape) != list(sd[n].shape)]
    if missing or extra or bad:
        msg = [f"{path}: state_dict names differ from {net.spec_name}'s"]
        msg += [f"  missing: {n} {list(sd[n].shape)}" for n in missing[:20]]
        msg += [f"  unexpected: {n} {list(tensors[n].shape)}" for n in extra[:20]]
        msg += [f"  shape: {n} file {list(tensors[n].shape)} net {list(sd[n].shape)}" for n in bad[:20]]
        raise SystemExit("\n".join(msg))
    net.load_state_dict({n: tensors[n].to(sd[n].dtype) for n in sd}, strict=True)


def eval_outputs(net, image):
    net.eval()
    with torch.no_grad():
        return net(image)


def main():
    ap = argparse.ArgumentParser(description="PyTorch peer of the NetSpec benchmarks")
    ap.add_argument("--net", required=True, help="sanet-tiny | sanet-tiny-se | sanet-r50 | fcn-r50 | fcn-tiny")
    ap.add_argument("--mode", choices=["forward", "train"], default="forward")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--size", type=int, default=96, help="square input H = W")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--warmup-seconds", type=float, default=0.0, help="and warm up for at least this long")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--weights", help="load this safetensors state_dict")
    ap.add_argument("--save-weights", help="write the state_dict (after init or --weights) here")
    ap.add_argument("--check-init", action="store_true", help="randomise BN stats/affine too (for output checks)")
    ap.add_argument("--inputs", help="load image/labels from this safetensors file")
    ap.add_argument("--save-inputs", help="write image (F32) and labels (I32) here")
    ap.add_argument("--dump-outputs", help="write eval-mode outputs here (safetensors)")
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (cuDNN defaults; each timed step ends with a synchronize)")
    ap.add_argument("--no-timing", action="store_true", help="only write the --save-*/--dump-* files")
    a = ap.parse_args()
    if a.repeats < 5:
        ap.error("--repeats must be >= 5 (the median of at least 5 runs is reported)")

    common.set_threads(a.threads)
    net = nets.build(a.net)
    common.init_weights(net, a.seed, check=a.check_init)
    if a.weights:
        load_state(net, a.weights)
    if a.save_weights:
        st.save(a.save_weights, net.state_dict(), {"net": net.spec_name, "format": "pt"})

    if a.inputs:
        t, _ = st.load(a.inputs)
        image, labels = t["image"].float(), t["labels"].long()
        a.batch, a.size = image.shape[0], image.shape[-1]
    else:
        image, labels = common.make_inputs(a.batch, a.size, net.num_classes, seed=1234 + a.seed)
    if a.save_inputs:
        st.save(a.save_inputs, {"image": image, "labels": labels.int()})

    if a.dump_outputs:
        out = eval_outputs(net, image)
        st.save(a.dump_outputs, {k: v.float() for k, v in out.items()}, {"side": "pytorch", "net": net.spec_name})

    if a.no_timing:
        return

    dev = torch.device(a.device)
    net, image, labels = net.to(dev), image.to(dev), labels.to(dev)

    if a.mode == "forward":
        net.eval()

        def step():
            with torch.no_grad():
                net(image)
    else:
        net.train()
        base_lr = 0.001 * a.batch / 16
        opt = torch.optim.SGD(net.param_groups(base_lr), lr=base_lr, momentum=0.9, weight_decay=1e-4)
        max_iter = 1000
        it = [0]
        last = {}

        def step():
            f = (1 - it[0] / max_iter) ** 0.9
            opt.param_groups[0]["lr"] = base_lr * f
            opt.param_groups[1]["lr"] = 10 * base_lr * f
            opt.zero_grad(set_to_none=False)
            loss, terms = nets.total_loss(net, net(image), labels)
            loss.backward()
            opt.step()
            it[0] += 1
            last["loss"] = loss.item()

    idle = common.cpu_idle_fraction(0.5)
    rss0, _ = common.rss_bytes()
    reset_ok = common.reset_peak_rss()
    cpu = []
    timed = step
    if dev.type == "cuda":
        def timed():
            step()
            torch.cuda.synchronize()
    times = common.time_it(timed, a.warmup, a.repeats, cpu, a.warmup_seconds)
    rss1, hwm = common.rss_bytes()

    res = {"side": "pytorch", "net": net.spec_name, "mode": a.mode, "batch": a.batch, "size": a.size,
           "threads": a.threads, "warmup": a.warmup, "warmup_seconds": a.warmup_seconds, "repeats": a.repeats, **common.summary(times),
           "baseline_rss_bytes": rss0, "peak_rss_bytes": hwm, "peak_rss_delta_bytes": hwm - rss0,
           "peak_reset": reset_ok, "cpu_median_ms": statistics.median(cpu), "idle_before": round(idle, 3), "params": sum(p.numel() for p in net.parameters()),
           "torch": torch.__version__, "cpu": common.cpu_name()}
    if a.mode == "train":
        res["last_loss"] = last["loss"]
    if a.json:
        print(json.dumps(res))
    else:
        print(f"{res['net']} {a.mode} b{a.batch} {a.size}x{a.size} threads {a.threads}: median {res['median_ms']:.1f} ms "
              f"(min {res['min_ms']:.1f}, {a.repeats} runs after {a.warmup} warm-up), "
              f"peak RSS +{res['peak_rss_delta_bytes'] / 2**20:.1f} MiB (abs {hwm / 2**20:.1f} MiB), "
              f"{res['params'] / 1e6:.2f} M params")


if __name__ == "__main__":
    main()
