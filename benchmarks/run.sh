#!/usr/bin/env bash
# The whole side-by-side comparison in one command: builds procsync, runs its JMH benchmarks and
# cross-process harness, the Python multiprocessing and C floor peers, and writes
# docs/PERFORMANCE.md (+ docs/performance-latency.png) in about 12 minutes.
# Usage: benchmarks/run.sh [--quick]   (--quick: under a minute, report in benchmarks/target/report/)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
quick=""
repeats=3
if [[ "${1:-}" == "--quick" ]]; then quick="--quick"; repeats=1; fi

cd "$repo"
mvn -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$here/target/cp.txt" >/dev/null
cp="$here/target/classes:$(cat "$here/target/cp.txt")"
results="$here/target/results"
rm -rf "$results"
mkdir -p "$results"

echo "== procsync JMH (in-process references in the same run)"
java -cp "$cp" dev.procsync.bench.jmh.JmhRunner $quick --out "$results/jmh.jsonl" | grep '^{' || true
echo "== procsync cross-process harness"
# Agrona 2 (the IPC ring-buffer peers) reaches jdk.internal.misc.Unsafe; the peer JVMs get the same flag.
java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$cp" dev.procsync.bench.harness.Harness $quick --repeats "$repeats" --out "$results/procsync.jsonl"
# Virtual threads need Java 21+: when this java is older, the vthread row runs on VTHREAD_JAVA
# (default: the Temurin 25 beside it, if installed), appending to the same results.
java_feature="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
vjava="${VTHREAD_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
if [[ "${java_feature%%.*}" -lt 21 && -x "$vjava" ]]; then
    echo "== virtual threads on $("$vjava" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')"
    "$vjava" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.procsync.bench.harness.Harness $quick \
        --repeats "$repeats" --out "$results/vthread.jsonl" vthread-10k-lock
fi
if [[ -x "$here/run-peers.sh" ]]; then
    echo "== Python multiprocessing and the C floor"
    PEERS_OUT="$results/peers.jsonl" "$here/run-peers.sh" $quick
fi
# A quick run is a smoke check: its report goes under target/, never over the measured one in docs/.
out="$repo/docs"
if [[ -n "$quick" ]]; then out="$here/target/report"; fi
mkdir -p "$out"
java -cp "$cp" dev.procsync.bench.report.Report "$results" "$out/PERFORMANCE.md" \
    "$out/performance-latency.png" $quick
