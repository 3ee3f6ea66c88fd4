#!/usr/bin/env bash
# scripts/bench/artifacts-bench.sh — artifact upload/download benchmark (issue 3).
#
# Reads:  the repository; needs JDK 17 + Maven, Node 20 + npm (installs @actions/artifact from
#         scripts/src/test/node/artifact/package-lock.json), GNU time (/usr/bin/time).
# Writes: target-bench/ (classes, Pipeline.class) and a scratch dir under ${TMPDIR:-/tmp}, removed at the end.
# Prints: per-run times, then medians: seconds, MB/s, ratio official/ours, peak RSS; then ours
#         with -Xmx64m at BIG_MB.
# Usage:  scripts/bench/artifacts-bench.sh [SIZE_MB=200] [RUNS=3] [BIG_MB=1024]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
size="${1:-200}"; runs="${2:-3}"; big="${3:-1024}"
build="$root/target-bench"
mvn -B -q -DbuildDir="$build" test-compile dependency:build-classpath -Dmdep.outputFile="$build/cp.txt" >/dev/null
cp="$build/classes:$build/test-classes:$(cat "$build/cp.txt")"
# our client runs through the real entry point, compiled once (as JBang would)
mkdir -p "$build/pipeline"
javac -nowarn -cp "$cp" -d "$build/pipeline" scripts/Pipeline.java
work="$(mktemp -d "${TMPDIR:-/tmp}/artifacts-bench.XXXXXX")"
java -cp "$cp" scorerci.artifacts.ArtifactsBench "$build/pipeline:$cp" "$size" "$runs" "$big" "$work"
