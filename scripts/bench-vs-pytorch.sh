#!/usr/bin/env bash
# NetSpec against PyTorch on the same machine, the same cases, timed the same way.
#
#   scripts/bench-vs-pytorch.sh [--threads 2] [--repeats 7] [--rounds 3] [--warmup 40] [--warmup-seconds 3] [--quick] [--pytorch-only] [--no-check] [--out DIR]
#
# 1. Same computation: for each network, one safetensors file of weights (random, with randomised BN
#    statistics) and one of inputs are loaded into both; NetSpec's eval-mode outputs must match
#    PyTorch's within a tolerance derived from PyTorch's own float32 error (benchmarks/peer/check.py).
# 2. Timing: for each case, benchmarks/peer/bench.py and NetSpec.Benchmarks --peer-json each run
#    --warmup untimed steps, then --repeats timed ones, in --rounds alternating rounds (PyTorch first, then
#    NetSpec first, ...); the median of all timed steps of a side is reported, with the median peak RSS
#    growth. Rounds because this shared VM has slow phases lasting seconds (sanet-r50's forward moves
#    between ~320 and ~390 ms within one process): alternating puts both sides in the same phases.
#    40 warm-up steps by default: .NET compiles each method quickly first and recompiles it, optimised
#    with the profile it gathered, after 30 calls; the generated Forward/Backward methods are called
#    once a step, so a network reaches its steady speed after about 35 steps (sanet-tiny: ~55 ms a step
#    before, ~41 ms after). A training run's steady state is what a user waits through (the default
#    run is 1000 steps). And at least --warmup-seconds (3) of warm-up: the recompilation runs in the
#    background and can lag behind 40 small steps (sanet-tiny's forward once measured 20 ms in all three
#    rounds of a run, 13 ms in runs around it). PyTorch gets the same warm-up.
# Both sides are limited to --threads cores (torch.set_num_threads; DOTNET_PROCESSOR_COUNT and, where
# available, taskset pinning both to the same cores).
#
# Needs python3-torch (Debian: apt-get install -y python3-torch). Installed here when missing and we
# are root (or have password-less sudo); otherwise the script says how and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

threads=2 repeats=7 rounds=3 warmup=40 warmup_seconds=3 quick=0 pytorch_only=0 check=1 out="$root/artifacts/bench-vs-pytorch"
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads=$2; shift 2 ;;
        --repeats) repeats=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --warmup-seconds) warmup_seconds=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        --pytorch-only) pytorch_only=1; shift ;;
        --no-check) check=0; shift ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

# Debian's python3-torch lives in the system interpreter, not in a venv.
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
    echo "python3-torch is missing: installing it (apt-get install -y python3-torch)" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy
    else
        echo "not root and no password-less sudo: run 'sudo apt-get install -y python3-torch python3-numpy' (Debian 12+/Ubuntu 23.04+), then rerun" >&2
        exit 2
    fi
    "$PY" -c 'import torch' || { echo "python3-torch still does not import" >&2; exit 2; }
fi

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_PROCESSOR_COUNT=$threads OMP_NUM_THREADS=$threads
pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt "$threads" ]; then
    pin=(taskset -c "0-$((threads - 1))")
fi

peer=benchmarks/peer
ns_dll=benchmarks/NetSpec.Benchmarks/bin/Release/net10.0/NetSpec.Benchmarks.dll
if [ "$pytorch_only" = 0 ]; then
    if ! dotnet build benchmarks/NetSpec.Benchmarks -c Release -v quiet -nologo >"$work/build.log" 2>&1; then
        echo "NetSpec.Benchmarks does not build:" >&2
        grep -E 'error' "$work/build.log" | sort -u | head -5 >&2
        echo "continuing with the PyTorch side only (--pytorch-only)" >&2
        pytorch_only=1
    fi
fi
ns() { "${pin[@]}" dotnet "$ns_dll" --peer-json "$@"; }
pt() { "${pin[@]}" "$PY" "$peer/bench.py" --threads "$threads" "$@"; }

# ---- 1. same weights, same inputs, same outputs --------------------------------------------------
# (net batch size) at sizes small enough for the float64 reference to be quick.
checks=("sanet-tiny 2 96" "fcn-tiny 2 96" "sanet-tiny-se 2 96" "sanet-r50 1 96")
[ "$quick" = 1 ] && checks=("sanet-tiny 2 96")
if [ "$check" = 1 ] && [ "$pytorch_only" = 0 ]; then
    echo "== output check (same safetensors weights and inputs) =="
    for c in "${checks[@]}"; do
        set -- $c
        w="$work/$1.weights.safetensors" i="$work/$1.inputs.safetensors" o="$work/$1.netspec-out.safetensors"
        pt --net "$1" --batch "$2" --size "$3" --check-init --save-weights "$w" --save-inputs "$i" --no-timing
        ns --net "$1" --batch "$2" --size "$3" --weights "$w" --inputs "$i" --dump-outputs "$o" >/dev/null
        "${pin[@]}" "$PY" "$peer/check.py" --net "$1" --threads "$threads" --weights "$w" --inputs "$i" --other "$o" \
            --json "$out/check-$1.json" || { echo "outputs differ for $1: the timings below would compare different computations" >&2; exit 1; }
    done
fi

# ---- 2. timing ---------------------------------------------------------------------------------------
cases=("sanet-tiny train 8 96" "sanet-r50 forward 1 240" "sanet-tiny forward 8 96" "fcn-tiny train 8 96"
       "sanet-tiny-se train 8 96" "fcn-r50 forward 1 240" "sanet-r50 train 1 240")
[ "$quick" = 1 ] && cases=("sanet-tiny train 8 96" "sanet-r50 forward 1 240")
results="$out/results.jsonl"
: >"$results"
echo "== timing: $threads threads, $rounds rounds of $warmup warm-up steps (and $warmup_seconds s at least) + $repeats timed steps a side, median of all; load average before: $(cut -d' ' -f1-3 /proc/loadavg) =="
for c in "${cases[@]}"; do
    set -- $c
    for ((r = 0; r < rounds; r++)); do
        run_pt() { pt --net "$1" --mode "$2" --batch "$3" --size "$4" --repeats "$repeats" --warmup "$warmup" --warmup-seconds "$warmup_seconds" --json >>"$results"; }
        run_ns() { [ "$pytorch_only" = 1 ] || ns --net "$1" --mode "$2" --batch "$3" --size "$4" --repeats "$repeats" --warmup "$warmup" --warmup-seconds "$warmup_seconds" >>"$results"; }
        if ((r % 2 == 0)); then run_pt "$@"; run_ns "$@"; else run_ns "$@"; run_pt "$@"; fi
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PY" - "$results" <<'PYEOF'
import json, sys
import statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rounds = {}
for r in rows:
    rounds.setdefault((r["net"], r["mode"], r["batch"], r["size"]), {}).setdefault(r["side"], []).append(r)
# one side of a case: its rounds merged, the median over all their timed steps and of their peak RSS growths
def merge(rs):
    m = dict(rs[0])
    m["median_ms"] = statistics.median(t for r in rs for t in r["times_ms"])
    m["peak_rss_delta_bytes"] = statistics.median(r["peak_rss_delta_bytes"] for r in rs)
    m["idle_before"] = min(r.get("idle_before", 1) for r in rs)
    m["rounds"] = len(rs)
    return m
by = {case: {side: merge(rs) for side, rs in sides.items()} for case, sides in rounds.items()}
mib = lambda b: f"{b / 2**20:.0f} MiB"
print(f"| case | NetSpec ms | PyTorch ms | ratio NetSpec/PyTorch | NetSpec peak mem | PyTorch peak mem | mem ratio |")
print(f"|---|---:|---:|---:|---:|---:|---:|")
for (net, mode, b, s), sides in by.items():
    n, p = sides.get("netspec"), sides.get("pytorch")
    case = f"{net} {'train step' if mode == 'train' else 'forward'} b{b} {s}x{s}"
    nms = f"{n['median_ms']:.1f}" if n else "n/a"
    pms = f"{p['median_ms']:.1f}" if p else "n/a"
    ratio = f"{n['median_ms'] / p['median_ms']:.2f}" if n and p else "n/a"
    # training: NetSpec's parameter gradients exist before its baseline, PyTorch's .grad appear in its delta: add them
    grads = n.get("grad_bytes", 0) if n and mode == "train" else 0
    nmem = (f"+{mib(n['peak_rss_delta_bytes'])}" + (f" +{mib(grads)} grads" if grads else "") + f" (plan {mib(n['planned_peak_bytes'])})") if n else "n/a"
    pmem = f"+{mib(p['peak_rss_delta_bytes'])}" if p else "n/a"
    mratio = f"{(n['peak_rss_delta_bytes'] + grads) / p['peak_rss_delta_bytes']:.2f}" if n and p else "n/a"
    busy = [f"{side} {r['idle_before']:.0%}" for side, r in (("NetSpec", n), ("PyTorch", p)) if r and r.get("idle_before", 1) < 0.8]
    flag = " (busy machine: idle " + ", ".join(busy) + ")" if busy else ""
    print(f"| {case}{flag} | {nms} | {pms} | {ratio} | {nmem} | {pmem} | {mratio} |")
print("\nms: median of all timed steps of all rounds; peak mem: median over the rounds of the growth of the process peak RSS (see docs/benchmarks.md);")
print("mem ratio: (NetSpec growth + its parameter gradients, for training) / PyTorch growth.")
if any(r.get("idle_before", 1) < 0.8 for r in rows):
    print("WARNING: some cases started with less than 80% of the CPUs idle; other work was running and those times are inflated.")
PYEOF
echo "raw JSON lines: $results"
