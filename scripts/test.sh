#!/usr/bin/env bash
# README's test command: builds everything and runs every test project (CPU only; GPU tests report skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build NetSpec.sln -c Release
dotnet test NetSpec.sln -c Release --no-build "$@"
