#!/usr/bin/env bash
# README's test command: builds everything, then runs every test project (CPU only; the CUDA and OpenCL
# classes report SKIPPED with the reason when no such device exists). Extra arguments go to `dotnet test`.
# Test projects run one after another: the machine we test on has 2 cores, and the end-to-end tests train
# real networks.
set -uo pipefail
cd "$(dirname "$0")/.."
# ONNX's own checker for the exported models (tests/NetSpec.Onnx.Tests/OnnxCheckerTests.cs): Debian's python3-onnx, installed
# where this runs as root with apt; elsewhere that test reports SKIPPED with the reason.
if ! python3 -c "import onnx" 2>/dev/null && ! /usr/bin/python3 -c "import onnx" 2>/dev/null \
    && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    (apt-get install -y -qq python3-onnx > /dev/null 2>&1 || { apt-get update -qq > /dev/null 2>&1 && apt-get install -y -qq python3-onnx > /dev/null 2>&1; }) \
        || echo "python3-onnx could not be installed: the ONNX checker test will be skipped"
fi
# PyTorch writes full-size ResNet-50 checkpoints at test time for --pretrained (tests/NetSpec.SANet.Tests/Checkpoints/
# FullSizePretrainedTests.cs): Debian's python3-torch, installed likewise; elsewhere that test reports SKIPPED.
if ! /usr/bin/python3 -c "import torch" 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch > /dev/null 2>&1 \
        || { apt-get update -qq > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch > /dev/null 2>&1; }) \
        || echo "python3-torch could not be installed: the full-size --pretrained test will be skipped"
fi

# tests/NetSpec.Distributed.Tests starts 2 ranks under Open MPI's mpirun: install Open MPI when it is missing
# (quietly; as root or with password-less sudo), so that a fresh machine needs nothing by hand.
if ! command -v mpirun >/dev/null; then
    echo "mpirun is missing: installing Open MPI (apt-get install -y openmpi-bin libopenmpi-dev)" >&2
    sudo=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo)
        else
            echo "not root and no password-less sudo: run 'sudo apt-get install -y openmpi-bin libopenmpi-dev', then rerun" >&2
            exit 2
        fi
    fi
    log=$(mktemp)
    install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev >>"$log" 2>&1; }
    # the package lists may be missing or stale on a fresh machine: update once, then try again
    if ! install && ! { "${sudo[@]}" apt-get update -qq >>"$log" 2>&1 && install; }; then
        tail -n 20 "$log" >&2
        echo "apt-get could not install openmpi-bin libopenmpi-dev (log above): install Open MPI by hand, then rerun" >&2
        rm -f "$log"
        exit 2
    fi
    rm -f "$log"
    command -v mpirun >/dev/null || { echo "Open MPI installed but mpirun is still not on PATH" >&2; exit 2; }
fi

dotnet build NetSpec.sln -c Release || exit 1
status=0
for project in tests/*/*.csproj; do
    dotnet test "$project" -c Release --no-build "$@" || status=1
done
exit $status
