#!/usr/bin/env bash
# scripts/bench/start-bench.sh — how fast the short commands start and finish (issue 15, goal 1).
#
# Usage:  scripts/bench/start-bench.sh [RUNS=11]     (run from anywhere)
# Reads:  the repository; needs java+mvn (./jbang), aarch64-linux-gnu-gcc, zip and unzip.
# Writes: a scratch dir under ${TMPDIR:-/tmp} (removed at exit) holding a snapshot of jbang,
#         jbang-catalog.json, scripts/ and scorer/'s Cargo.toml and declared files (edits in the tree
#         cannot trigger a rebuild mid-run; verify-zip reads the declared entries as it does in a
#         checkout) and a small valid Lambda zip; the launcher's usual cache (~/.cache/scorer-jbang:
#         remembered command, class-data archive), as users have it after their first run.
# Prints: per measure the median wall and CPU (user+system) seconds over RUNS interleaved runs, after
#         one warm-up of each (which records the class-data archive, JBANG_LAUNCHER_CDS=sync):
#           ./jbang verify-zip@. ZIP           goal < 0.2 s; peers: unzip -tq ZIP, java -version
#           ./jbang verify-zip@. REAL-ZIP      the repository's built zip (1 MB), when it exists
#           ./jbang verify-zip@. --help        goal < 0.2 s
#           ./jbang upload-artifact@. --help   (a command that keeps the C2 compiler)
#           the same three without the class-data archive (JBANG_LAUNCHER_CDS=off)
#         then the load average before and after.
# Exits:  0, or 1 if a command failed.
set -euo pipefail
runs="${1:-11}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/start-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/snapshot/scorer" "$tmp/zip"
cp -r "$repo/jbang" "$repo/jbang-catalog.json" "$repo/scripts" "$tmp/snapshot/"
rm -rf "$tmp/snapshot/scripts/src/test"
cp "$repo/scorer/Cargo.toml" "$repo/scorer/collector.yaml" "$repo/scorer/weights.json" "$tmp/snapshot/scorer/"
printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' > "$tmp/hello.c"
aarch64-linux-gnu-gcc -O1 -o "$tmp/zip/bootstrap" "$tmp/hello.c"
chmod 755 "$tmp/zip/bootstrap"
cp "$repo/scorer/collector.yaml" "$repo/scorer/weights.json" "$tmp/zip/"
(cd "$tmp/zip" && zip -q -X bootstrap.zip bootstrap collector.yaml weights.json)
zip="$tmp/zip/bootstrap.zip"
real_zip="$repo/scorer/target/lambda/rust-scorer/bootstrap.zip"
cd "$tmp/snapshot"

names=(); commands=()
add() { names+=("$1"); shift; commands+=("$(printf '%q ' "$@")"); }
add "verify-zip ZIP"                ./jbang verify-zip@. "$zip"
if [[ -f "$real_zip" ]]; then
  cp "$real_zip" "$tmp/zip/real.zip"
  add "verify-zip REAL ($(( $(stat -c %s "$real_zip") / 1000 )) kB)" ./jbang verify-zip@. "$tmp/zip/real.zip"
else
  echo "(no $real_zip: run ./jbang build-zip@. to measure verify-zip on the real zip too)"
fi
add "verify-zip --help"             ./jbang verify-zip@. --help
add "upload-artifact --help"        ./jbang upload-artifact@. --help
add "verify-zip ZIP, no AppCDS"     env JBANG_LAUNCHER_CDS=off ./jbang verify-zip@. "$zip"
add "verify-zip --help, no AppCDS"  env JBANG_LAUNCHER_CDS=off ./jbang verify-zip@. --help
add "upload --help, no AppCDS"      env JBANG_LAUNCHER_CDS=off ./jbang upload-artifact@. --help
add "unzip -tq ZIP (peer)"          unzip -tq "$zip"
add "java -version (floor)"         java -version

export JBANG_LAUNCHER_CDS=sync
for c in "${commands[@]}"; do eval "$c" >/dev/null 2>&1 || { echo "failed: $c" >&2; eval "$c"; exit 1; }; done   # warm-up
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$tmp/results"
# bash's own `time` (wall, and the children's user and system CPU): no timing process or extra shell
# of ours inside the measured span, so a peer's figure is the peer's
TIMEFORMAT='%3R %3U %3S'
for ((r = 0; r < runs; r++)); do
  for i in "${!commands[@]}"; do
    { time eval "${commands[i]}" >/dev/null 2>&1; } 2>"$tmp/time"
    read -r real user sys <"$tmp/time"
    echo "$i $real $user $sys" >> "$results"
  done
done
echo "start benchmark: $runs interleaved runs each after one warm-up, medians (wall and CPU = user+system, seconds)"
printf '%-32s %9s %9s\n' "command" "wall s" "CPU s"
for i in "${!commands[@]}"; do
  wall="$(awk -v i="$i" '$1 == i {print $2}' "$results" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')"
  cpu="$(awk -v i="$i" '$1 == i {print $3 + $4}' "$results" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')"
  printf '%-32s %9.3f %9.3f\n' "${names[i]}" "$wall" "$cpu"
done
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
