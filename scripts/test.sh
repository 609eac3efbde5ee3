#!/usr/bin/env bash
# README's test command: builds everything, then runs every test project (CPU only; the CUDA and OpenCL
# classes report SKIPPED with the reason when no such device exists). Extra arguments go to `dotnet test`.
# Test projects run one after another: the machine we test on has 2 cores, and the end-to-end tests train
# real networks.
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build NetSpec.sln -c Release || exit 1
status=0
for project in tests/*/*.csproj; do
    dotnet test "$project" -c Release --no-build "$@" || status=1
done
exit $status
