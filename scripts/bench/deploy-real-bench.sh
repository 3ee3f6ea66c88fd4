#!/usr/bin/env bash
# scripts/bench/deploy-real-bench.sh — deploy's overhead beyond the REAL Pulumi CLI, on a no-change deploy.
#
# Usage:  scripts/bench/deploy-real-bench.sh [RUNS]        (default 5; run from anywhere)
# Reads:  the repository (scripts/, the YAML test program in scripts/src/test/resources/scorerci/pulumi/program);
#         the real Pulumi toolchain from scripts/tools/pulumi.sh (built if missing: ~10 min cold);
#         needs java+mvn (./jbang), aarch64-linux-gnu-gcc and zip.
# Writes: a scratch directory under ${TMPDIR:-/tmp} (removed at exit): a file:// backend, a private
#         PULUMI_HOME, a copy of the program, a JBang cache. Nothing in the repository.
# Prints: per-run figures on stderr, then medians on stdout:
#           deploy total   wall time of `./jbang deploy@. staging --yes --skip-verify` (JBang + JVM + deploy
#                          + its real pulumi calls) on a stack that is already up to date
#           pulumi time    wall time of those pulumi child processes (a timing shim on PATH records each)
#           overhead       total minus pulumi time: what deploy adds beyond the real pulumi calls
#           reference      a shell script making the same pulumi calls in the same order
#                          (stack select -c, config set aws:region, config --show-secrets --json,
#                          preview --diff --json, up --yes --skip-preview --json), and the ratio deploy/reference
#           jbang startup  `./jbang deploy@. --help`, the floor any JBang command pays
# Exits:  0, or 1 if a run failed.
set -euo pipefail
runs="${1:-5}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$("$repo/scripts/tools/pulumi.sh")"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/deploy-real-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# --- the YAML test program as infra/, a valid zip, a file:// backend
mkdir -p "$tmp/infra" "$tmp/artifact" "$tmp/backend" "$tmp/pulumi-home" "$tmp/shim"
cp -r "$repo/scripts/src/test/resources/scorerci/pulumi/program/." "$tmp/infra/"
printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' > "$tmp/hello.c"
aarch64-linux-gnu-gcc -O1 -o "$tmp/artifact/bootstrap" "$tmp/hello.c"
printf 'receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n' > "$tmp/artifact/collector.yaml"
printf '{"weights": 1}\n' > "$tmp/artifact/weights.json"
chmod 755 "$tmp/artifact/bootstrap"; chmod 644 "$tmp/artifact/collector.yaml" "$tmp/artifact/weights.json"
(cd "$tmp/artifact" && zip -q -X bootstrap.zip bootstrap collector.yaml weights.json)
zip="$tmp/artifact/bootstrap.zip"

# the shim times each real pulumi call (its own cost, two `date` calls, counts as pulumi time)
cat > "$tmp/shim/pulumi" <<EOF
#!/bin/sh
t0=\$(date +%s%N)
"$bin/pulumi" "\$@"
rc=\$?
echo \$(( \$(date +%s%N) - t0 )) >> "$tmp/pulumi-ns.log"
exit \$rc
EOF
chmod 755 "$tmp/shim/pulumi"

export PATH="$tmp/shim:$bin:$PATH"
export PULUMI_BACKEND_URL="file://$tmp/backend" PULUMI_HOME="$tmp/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=1
export PULUMI_CONFIG_PASSPHRASE=bench-passphrase AWS_ACCESS_KEY_ID=AKIABENCH AWS_SECRET_ACCESS_KEY=bench-secret
export JBANG_NO_VERSION_CHECK=true JBANG_CACHE_DIR="$tmp/jbang-cache"
stack=organization/passport-scorer/staging
mkdir -p "$tmp/snapshot"
cp -r "$repo/scripts" "$repo/jbang" "$repo/jbang-catalog.json" "$tmp/snapshot/"
mkdir -p "$tmp/scorer" && cp "$repo/scorer/Cargo.toml" "$tmp/scorer/"   # the zip's required entries, found above --infra
deploy=(./jbang deploy@. staging --infra "$tmp/infra" --artifact "$zip" --yes --skip-verify --quiet)
cd "$tmp/snapshot"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
pulumi_ms() { awk '{s+=$1} END {printf "%d\n", s/1000000}' "$tmp/pulumi-ns.log"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

echo "warming up: JBang build of the snapshot, and a first deploy that creates the stack" >&2
# the warm-ups record the class-data archive before returning (JBANG_LAUNCHER_CDS=sync), for the deploy
# and for --help: a user's second run has it, and a background dump would land mid-measurement
JBANG_LAUNCHER_CDS=sync "${deploy[@]}" >/dev/null 2>"$tmp/warmup.err" || { cat "$tmp/warmup.err" >&2; exit 1; }
JBANG_LAUNCHER_CDS=sync ./jbang deploy@. --help >/dev/null 2>&1

totals=(); pulumis=(); overheads=(); refs=(); helps=()
for i in $(seq 1 "$runs"); do
  rm -f "$tmp/pulumi-ns.log"
  t0=$(now); "${deploy[@]}" > "$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; exit 1; }; t1=$(now)
  grep -q "applied .*: 0 created, 0 updated, 0 deleted, 0 replaced" "$tmp/out.txt" \
    || { echo "not a no-change deploy:"; cat "$tmp/out.txt"; exit 1; }
  total=$(ms "$t0" "$t1"); p=$(pulumi_ms); overhead=$((total - p))

  r0=$(now)
  (cd "$tmp/infra/aws" && RUST_SCORER_ZIP="$zip" "$bin/pulumi" stack select -c "$stack" --non-interactive >/dev/null \
     && "$bin/pulumi" config set aws:region us-west-2 -s "$stack" --non-interactive \
     && "$bin/pulumi" config --show-secrets --json --stack "$stack" --non-interactive >/dev/null \
     && RUST_SCORER_ZIP="$zip" "$bin/pulumi" preview --diff --json --non-interactive --stack "$stack" >/dev/null \
     && RUST_SCORER_ZIP="$zip" "$bin/pulumi" up --yes --skip-preview --json --non-interactive --stack "$stack" >/dev/null)
  r1=$(now); ref=$(ms "$r0" "$r1")

  h0=$(now); ./jbang deploy@. --help >/dev/null; h1=$(now); help=$(ms "$h0" "$h1")
  printf 'run %d: deploy total %d ms, pulumi %d ms, overhead %d ms; reference %d ms; jbang startup %d ms\n' \
    "$i" "$total" "$p" "$overhead" "$ref" "$help" >&2
  totals+=("$total"); pulumis+=("$p"); overheads+=("$overhead"); refs+=("$ref"); helps+=("$help")
done

mt=$(printf '%s\n' "${totals[@]}" | median); mp=$(printf '%s\n' "${pulumis[@]}" | median)
mo=$(printf '%s\n' "${overheads[@]}" | median); mr=$(printf '%s\n' "${refs[@]}" | median)
mh=$(printf '%s\n' "${helps[@]}" | median)
echo "pulumi $("$bin/pulumi" version), $runs runs, no-change deploy on a file:// backend (medians):"
echo "  deploy total   ${mt} ms"
echo "  pulumi time    ${mp} ms"
echo "  overhead       ${mo} ms (total - pulumi)"
echo "  reference      ${mr} ms (the same pulumi calls from a shell script)"
echo "  ratio          $(awk -v a="$mt" -v b="$mr" 'BEGIN {printf "%.2f", a/b}') (deploy / reference)"
echo "  jbang startup  ${mh} ms"
