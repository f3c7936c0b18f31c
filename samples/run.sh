#!/usr/bin/env bash
# Runs a procsync sample by name, building what it needs first.
#
#   samples/run.sh                 list the samples
#   samples/run.sh counter         run one (extra arguments go to the sample)
#   samples/run.sh webflux         the Spring WebFlux ticket service as two processes
#   samples/run.sh kotlin          coroutine singers in two processes share one Semaphore
#
# Needs Java 17+ and Maven on a Linux host. SKIP_BUILD=1 reuses the last build.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
module=samples
main=dev.procsync.samples.Samples
if [[ "${1:-}" == webflux ]]; then
  # The Spring WebFlux ticket service lives in its own module (Spring Boot's versions stay there).
  module=samples/webflux
  main=dev.procsync.samples.webflux.TicketServiceDemo
  shift
elif [[ "${1:-}" == kotlin ]]; then
  # The Kotlin coroutine sample is compiled by kotlin-maven-plugin in its own module.
  module=samples/kotlin
  main=dev.procsync.samples.kotlin.CoroutineKtv
  shift
fi
if [[ "${SKIP_BUILD:-}" != 1 || ! -f $module/target/run-classpath.txt ]]; then
  echo "building procsync and its samples (mvn package -pl $module -am) ..." >&2
  mvn -B -q -DskipTests -Dcheckstyle.skip package -pl "$module" -am >&2
fi
exec java -cp "$module/target/classes:$(cat "$module/target/run-classpath.txt")" "$main" "$@"
