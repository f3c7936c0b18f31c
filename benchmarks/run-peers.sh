#!/usr/bin/env bash
# Runs the non-Java peers of the side-by-side comparison: the C floor (benchmarks/native) and
# Python multiprocessing (benchmarks/python), and appends every JSON result line to
# benchmarks/target/results/peers.jsonl.
#
# Usage: benchmarks/run-peers.sh [--quick] [--repeat N]     (from any directory)
#   --quick     smoke run: C floor ~2 s, Python ~5 s (default: ~16 s and ~40 s)
#   --repeat N  run both N times (each run gets its own run_id), for medians and spread
# Environment: PYTHON (default python3), CC (default gcc), FLOOR_SHM_DIR (default /dev/shm)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quick=()
repeat=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=(--quick); shift ;;
        --repeat)
            [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "run-peers.sh: --repeat needs a positive number" >&2; exit 2; }
            repeat="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-peers.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done

python="${PYTHON:-python3}"
floor="$here/target/native/floor"
results_dir="$here/target/results"
out="$results_dir/peers.jsonl"
mkdir -p "$results_dir"

"$here/native/build.sh"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
before=$(wc -l < "$out" 2>/dev/null || echo 0)
failed=0
for ((i = 1; i <= repeat; i++)); do
    run_id="$stamp-r$i"
    echo "== run $run_id: C floor" >&2
    if ! "$floor" all "${quick[@]}" --run-id "$run_id" | tee -a "$out"; then
        echo "run-peers.sh: the C floor failed (run $run_id)" >&2
        failed=1
    fi
    echo "== run $run_id: Python multiprocessing" >&2
    if ! "$python" "$here/python/mp_bench.py" "${quick[@]}" --run-id "$run_id" | tee -a "$out"; then
        echo "run-peers.sh: the Python benchmark failed (run $run_id)" >&2
        failed=1
    fi
done
after=$(wc -l < "$out")
echo "run-peers.sh: appended $((after - before)) result lines to $out" >&2
exit "$failed"
