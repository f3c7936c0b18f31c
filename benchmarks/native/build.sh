#!/usr/bin/env bash
# Compiles the C floor benchmark into benchmarks/target/native/floor.
# Usage: benchmarks/native/build.sh        (from any directory; CC overrides the compiler)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$(cd "$here/.." && pwd)/target/native"
mkdir -p "$out_dir"

cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "build.sh: C compiler '$cc' not found (install gcc or set CC)" >&2
    exit 1
fi

"$cc" -std=c11 -O2 -pthread -Wall -Wextra \
    -o "$out_dir/floor.tmp" "$here/floor.c"
mv -f "$out_dir/floor.tmp" "$out_dir/floor"
echo "built $out_dir/floor" >&2
