#!/usr/bin/env bash
# Runs a procsync sample by name, building what it needs first.
#
#   samples/run.sh                 list the samples
#   samples/run.sh counter         run one (extra arguments go to the sample)
#
# Needs Java 17+ and Maven on a Linux host. SKIP_BUILD=1 reuses the last build.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [[ "${SKIP_BUILD:-}" != 1 || ! -f samples/target/run-classpath.txt ]]; then
  echo "building procsync and its samples (mvn package -pl samples -am) ..." >&2
  mvn -B -q -DskipTests -Dcheckstyle.skip package -pl samples -am >&2
fi
exec java -cp "samples/target/classes:$(cat samples/target/run-classpath.txt)" dev.procsync.samples.Samples "$@"
