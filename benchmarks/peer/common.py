"""Shared by bench.py, check.py and ops.py: threads, inputs, init, timing, memory."""

import os
import statistics
import time

import torch

import nets


def set_threads(n):
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (only allowed once, before any parallel work)


def make_inputs(batch, size, k, seed=1234, ignore_frac=0.05):
    """A normalised image ~ N(0,1) (N,3,S,S) and labels in [0,K) with ~5% ignore (255), int64."""
    g = torch.Generator().manual_seed(seed)
    image = torch.randn(batch, 3, size, size, generator=g)
    labels = torch.randint(0, k, (batch, size, size), generator=g)
    drop = torch.rand(batch, size, size, generator=g) < ignore_frac
    labels[drop] = nets.IGNORE
    return image, labels


def init_weights(net, seed=0, check=False):
    """Kaiming normal (fan_out, relu) for convs as torchvision, BN 1/0, linear PyTorch default.
    check=True also randomises BN affine and running statistics so that an eval-mode comparison
    exercises every BN term (with 1/0 and 0/1 they would be identities)."""
    torch.manual_seed(seed)
    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                torch.nn.init.uniform_(m.bias, -0.1, 0.1)
        elif isinstance(m, torch.nn.BatchNorm2d):
            if check:
                torch.nn.init.uniform_(m.weight, 0.5, 1.5)
                torch.nn.init.normal_(m.bias, 0.0, 0.1)
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
            else:
                torch.nn.init.ones_(m.weight)
                torch.nn.init.zeros_(m.bias)


def rss_bytes():
    """(VmRSS, VmHWM) of this process in bytes, from /proc/self/status (Linux)."""
    vals = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":")
                vals[k] = int(v.split()[0]) * 1024
    return vals.get("VmRSS", 0), vals.get("VmHWM", 0)


def reset_peak_rss():
    """Resets VmHWM to the current RSS (Linux >= 4.0: write 5 to /proc/self/clear_refs).
    Returns False where that is not allowed; the peak then includes anything before."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def time_it(step, warmup, repeats, cpu_out=None, warmup_seconds=0.0):
    """Runs step() untimed at least warmup times and for at least warmup_seconds, then repeats times timed;
    returns the wall times in ms.
    cpu_out, when given, receives the process CPU time (all threads, user + system) of each step in ms:
    on a shared machine it moves less than the wall time (but counts OpenMP spin-waiting)."""
    start, done = time.perf_counter(), 0
    while done < warmup or time.perf_counter() - start < warmup_seconds:
        step()
        done += 1
    times = []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
        if cpu_out is not None:
            cpu_out.append((time.process_time() - c0) * 1e3)
    return times


def cpu_idle_fraction(seconds=1.0):
    """Fraction of all CPUs idle over the next `seconds` (from /proc/stat), to record how busy the machine was."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + v[4], sum(v)
    i0, t0 = snap()
    time.sleep(seconds)
    i1, t1 = snap()
    return (i1 - i0) / max(1, t1 - t0)


def summary(times):
    return {"median_ms": statistics.median(times), "min_ms": min(times), "mean_ms": statistics.fmean(times),
            "times_ms": [round(t, 3) for t in times]}


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return os.uname().machine
