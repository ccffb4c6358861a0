#!/usr/bin/env bash
# Runs shendu bench and the same workloads in PyTorch back to back, alternating, ROUNDS times each, and prints
# the ratios of the medians. Usage: [MODELS="lenet5 ..."] bench/compare.sh [ROUNDS] [THREADS] [EPOCHS]
# Needs Debian's python3-torch and dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; THREADS=${2:-2}; EPOCHS=${3:-2}; MODELS=${MODELS:-mlp lenet5 bncnn}
LOG=$(mktemp)
./shendu --help >/dev/null  # builds once, outside the timings
for round in $(seq 1 "$ROUNDS"); do
  for model in $MODELS; do
    ./shendu bench train --model "$model" --data fashion-mnist --epochs "$EPOCHS" --batch 64 --threads "$THREADS" | grep '^bench' | sed 's/^/shendu /' | tee -a "$LOG"
    /usr/bin/python3 bench/pytorch/bench.py train --model "$model" --epochs "$EPOCHS" --batch 64 --threads "$THREADS" | grep '^bench' | sed 's/^/pytorch /' | tee -a "$LOG"
    ./shendu bench infer --model "$model" --data fashion-mnist --batch 256 --threads "$THREADS" | grep '^bench' | sed 's/^/shendu /' | tee -a "$LOG"
    /usr/bin/python3 bench/pytorch/bench.py infer --model "$model" --batch 256 --threads "$THREADS" | grep '^bench' | sed 's/^/pytorch /' | tee -a "$LOG"
  done
done
/usr/bin/python3 - "$LOG" <<'PY'
import re, statistics, sys
rates = {}
for line in open(sys.argv[1]):
    side, rest = line.split(" ", 1)
    kind = rest.split()[1]
    model = re.search(r"model=(\S+)", rest).group(1)
    rate = float(re.search(r"img_per_s=(\S+)", rest).group(1))
    rates.setdefault((kind, model, side), []).append(rate)
print(f"{'workload':<16}{'shendu img/s':>14}{'pytorch img/s':>15}{'ratio':>8}")
for kind in ("train", "infer"):
    for model in ("mlp", "lenet5", "bncnn"):
        s = rates.get((kind, model, "shendu")); p = rates.get((kind, model, "pytorch"))
        if s and p:
            ms, mp = statistics.median(s), statistics.median(p)
            print(f"{kind + ' ' + model:<16}{ms:>14.0f}{mp:>15.0f}{ms / mp:>8.2f}")
PY
rm -f "$LOG"
