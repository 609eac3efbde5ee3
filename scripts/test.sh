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
dotnet build NetSpec.sln -c Release || exit 1
status=0
for project in tests/*/*.csproj; do
    dotnet test "$project" -c Release --no-build "$@" || status=1
done
exit $status
