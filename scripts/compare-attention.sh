#!/usr/bin/env bash
# Table 3 of the paper at small scale: FCN vs FCN-SE-style heads vs SANet heads, on the built-in data.
# Each variant trains from scratch with the same recipe for several seeds; the table shows the final
# validation pixAcc and mIoU of each run and their mean.
#   scripts/compare-attention.sh [ITERS] [SEEDS...]      default: 500 iterations, seeds 1 2
set -euo pipefail
cd "$(dirname "$0")/.."
iters=${1:-500}
shift || true
if [ $# -gt 0 ]; then seeds=("$@"); else seeds=(1 2); fi
dotnet build samples/SANet -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
printf '| spec | seed | pixAcc | mIoU |\n|---|---|---|---|\n'
for spec in fcn-tiny sanet-tiny-se sanet-tiny; do
    for seed in "${seeds[@]}"; do
        log="$work/$spec-$seed.log"
        dotnet run --project samples/SANet -c Release --no-build -- train --spec "specs/$spec.yaml" \
            --iters "$iters" --seed "$seed" --val-every "$iters" --work-dir "$work/$spec-$seed" >"$log" 2>&1
        line=$(grep -E '^val @' "$log" | tail -1)
        pix=$(sed -E 's/.*pixAcc ([0-9.]+).*/\1/' <<<"$line")
        miou=$(sed -E 's/.*mIoU ([0-9.]+).*/\1/' <<<"$line")
        printf '| %s | %s | %s | %s |\n' "$spec" "$seed" "$pix" "$miou"
    done
done
rm -rf "$work"
