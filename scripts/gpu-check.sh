#!/usr/bin/env bash
# The GPU check. Two halves, because the GPU machine has no .NET:
#   scripts/gpu-check.sh publish        here: a self-contained linux-x64 build in .publish/gpucheck (40 MiB; the device tool carries 64)
#   scripts/gpu-check.sh run [OUTDIR]   there: probe; sanet-r50 eval forward and training step at batch 8,
#                                       480x480, then the same with the machine's PyTorch (cuDNN defaults) if it
#                                       has one; the NCCL binding on one GPU (when a libnccl.so.2 is found); then
#                                       the op checks (benchmarks/NetSpec.DeviceChecks) on CUDA (and OpenCL if an ICD is present).
# With the device tool: run `publish` here, then run `scripts/gpu-check.sh run $OUT` there with
# carry [".publish/gpucheck"]. It finishes inside 8 minutes on an H100.
set -uo pipefail
cd "$(dirname "$0")/.."
exe=.publish/gpucheck/NetSpec.GpuCheck

case "${1:-run}" in
publish)
    dotnet publish benchmarks/NetSpec.GpuCheck -c Release -r linux-x64 --self-contained \
        -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:InvariantGlobalization=true \
        -o .publish/gpucheck
    ;;
run)
    out=${2:-/tmp/gpu-check}
    mkdir -p "$out"
    [ -x "$exe" ] || { echo "missing $exe: run 'scripts/gpu-check.sh publish' on a machine with .NET first"; exit 2; }
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee "$out/gpu.txt"
    status=0
    echo "== probe"
    timeout 60 "$exe" probe 2>&1 | tee "$out/probe.txt" || status=1
    echo "== sanet-r50, batch 8, 480x480 (NetSpec)"
    NETSPEC_DEVICE=cuda timeout 180 "$exe" time sanet-r50 8 480 5 2>&1 | tee "$out/time-netspec.txt" || status=1
    if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
        echo "== sanet-r50, batch 8, 480x480 (PyTorch $(python3 -c 'import torch; print(torch.__version__)'), cuDNN defaults)"
        for mode in forward train; do
            timeout 120 python3 benchmarks/peer/bench.py --net sanet-r50 --mode "$mode" --batch 8 --size 480 \
                --repeats 5 --device cuda 2>&1 | tee -a "$out/time-pytorch.txt" || status=1
        done
    fi
    echo "== NCCL binding, 1 rank (libnccl.so.2 from the system, else from PyTorch's nvidia-nccl wheel)"
    if ! ldconfig -p 2>/dev/null | grep -q libnccl.so.2 && [ -z "${NETSPEC_NCCL_LIBRARY:-}" ]; then
        wheel=$(python3 -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib", "libnccl.so.2"))' 2>/dev/null)
        [ -n "$wheel" ] && [ -f "$wheel" ] && export NETSPEC_NCCL_LIBRARY=$wheel
    fi
    timeout 60 "$exe" nccl 2>&1 | tee "$out/nccl.txt"
    nccl_status=${PIPESTATUS[0]}
    [ "$nccl_status" = 0 ] || [ "$nccl_status" = 3 ] || status=1 # 3: no libnccl here, not a failure
    echo "== op checks on CUDA"
    timeout 180 "$exe" ops cuda 2>&1 | tee "$out/ops-cuda.txt" | grep -Ev '^PASS' || status=1
    if ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then
        echo "== op checks on OpenCL"
        timeout 120 "$exe" ops opencl 2>&1 | tee "$out/ops-opencl.txt" | grep -Ev '^PASS' || status=1
    fi
    exit $status
    ;;
*)
    echo "usage: scripts/gpu-check.sh publish | run [OUTDIR]"; exit 2
    ;;
esac
