#!/usr/bin/env bash
# scripts/bench/deploy-bench.sh — the deploy command's own overhead on a no-change preview.
#
# Usage:  scripts/bench/deploy-bench.sh [RUNS]        (default 7; run from anywhere)
# Reads:  the repository (scripts/, infra/package*.json, infra/aws/Pulumi*.yaml, the fake pulumi
#         in scripts/src/test/resources/scorerci/fakes/fake_pulumi.py); needs java+mvn (./jbang),
#         python3, aarch64-linux-gnu-gcc and zip.
# Writes: a scratch directory under ${TMPDIR:-/tmp} (removed at exit); nothing in the repository.
#         The scripts are run from a snapshot copied there, so edits in the tree during the
#         benchmark cannot trigger a JBang rebuild between runs.
# Prints: per-run figures on stderr, then medians on stdout:
#           deploy total     wall time of `./jbang deploy@. staging --preview-only` (JBang + JVM + deploy)
#           pulumi time      wall time of the pulumi child processes, from their launcher's start to
#                            their exit (the fake records it), python's start-up included
#           overhead         total minus pulumi time: everything except the pulumi child processes
#           reference        the original pipeline's bash steps (stack select -c, config set, preview --diff)
#                            run directly against the same fake, and the ratio deploy/reference
#           jbang startup    `./jbang deploy@. --help`, the floor any JBang command pays
# Goal:   overhead median < 2 s (issue 5). The fake answers in milliseconds, so "overhead" is what
#         deploy adds on top of a real Pulumi, whose previews take tens of seconds.
# Exits:  0, or 1 if a deploy run failed.
set -euo pipefail
runs="${1:-7}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/deploy-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# --- scratch infra/, a valid zip, the fake pulumi
mkdir -p "$tmp/infra/aws" "$tmp/infra/node_modules" "$tmp/artifact" "$tmp/fake"
cp "$repo/infra/package.json" "$repo/infra/package-lock.json" "$tmp/infra/"
cp "$repo"/infra/aws/Pulumi*.yaml "$tmp/infra/aws/"
cp "$tmp/infra/package-lock.json" "$tmp/infra/node_modules/.package-lock.json"   # installed: no npm ci
printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' > "$tmp/hello.c"
aarch64-linux-gnu-gcc -O1 -o "$tmp/artifact/bootstrap" "$tmp/hello.c"
printf 'receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n' > "$tmp/artifact/collector.yaml"
printf '{"weights": 1}\n' > "$tmp/artifact/weights.json"
chmod 755 "$tmp/artifact/bootstrap"; chmod 644 "$tmp/artifact/collector.yaml" "$tmp/artifact/weights.json"
(cd "$tmp/artifact" && zip -q -X bootstrap.zip bootstrap collector.yaml weights.json)
zip="$tmp/artifact/bootstrap.zip"
python="$(command -v /usr/bin/python3 || command -v python3)"
cp "$repo/scripts/src/test/resources/scorerci/fakes/fake_pulumi.py" "$tmp/fake/"
printf '#!/bin/sh\nFAKE_PULUMI_STARTED_NS=$(date +%%s%%N) exec %s %s "$@"\n' "$python" "$tmp/fake/fake_pulumi.py" > "$tmp/fake/pulumi"
chmod 755 "$tmp/fake/pulumi"

export PATH="$tmp/fake:$PATH"
export PULUMI_ACCESS_TOKEN=pul-bench-token AWS_ACCESS_KEY_ID=AKIABENCH AWS_SECRET_ACCESS_KEY=bench-secret
export JBANG_NO_VERSION_CHECK=true
# a private JBang cache: the compiled jar is ours alone (a shared cache can be rebuilt under us by a
# concurrent run from another tree), and the first build is part of the warm-up, not of the figures
export JBANG_CACHE_DIR="$tmp/jbang-cache"
stack=passportxyz/passport-scorer/staging
mkdir -p "$tmp/snapshot"
cp -r "$repo/scripts" "$repo/jbang" "$repo/jbang-catalog.json" "$tmp/snapshot/"
# deploy requires the zip to hold the crate's declared entries: it reads them from scorer/Cargo.toml
# above --infra (as in a checkout)
mkdir -p "$tmp/scorer" && cp "$repo/scorer/Cargo.toml" "$tmp/scorer/"
deploy=(./jbang deploy@. staging --infra "$tmp/infra" --artifact "$zip" --quiet)
cd "$tmp/snapshot"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
pulumi_ms() { python3 -c 'import json,sys; print(round(sum(json.loads(l)["durationMs"] for l in open(sys.argv[1]) if l.strip())))' "$tmp/fake/invocations.jsonl"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

echo "warming up: JBang build of the snapshot, and a first deploy so the preview has no changes" >&2
# the warm-ups record the class-data archive before returning (JBANG_LAUNCHER_CDS=sync), for the deploy
# and for --help: a user's second run has it, and a background dump would land mid-measurement
JBANG_LAUNCHER_CDS=sync "${deploy[@]}" --yes --skip-verify >/dev/null 2>"$tmp/warmup.err" || { cat "$tmp/warmup.err" >&2; exit 1; }
JBANG_LAUNCHER_CDS=sync ./jbang deploy@. --help >/dev/null 2>&1

totals=(); pulumis=(); overheads=(); refs=(); helps=()
for i in $(seq 1 "$runs"); do
  rm -f "$tmp/fake/invocations.jsonl"
  t0=$(now); "${deploy[@]}" --preview-only > "$tmp/out.txt" || { cat "$tmp/out.txt"; exit 1; }; t1=$(now)
  grep -q " 0 to create, 0 to update, 0 to delete, 0 to replace, 12 unchanged" "$tmp/out.txt" \
    || { echo "not a no-change preview:"; cat "$tmp/out.txt"; exit 1; }
  total=$(ms "$t0" "$t1"); p=$(pulumi_ms); overhead=$((total - p))

  r0=$(now)
  (cd "$tmp/infra/aws" && RUST_SCORER_ZIP="$zip" pulumi stack select -c "$stack" >/dev/null \
     && pulumi config -s "$stack" set aws:region us-west-2 --non-interactive \
     && RUST_SCORER_ZIP="$zip" pulumi preview --diff -s "$stack" >/dev/null)
  r1=$(now); ref=$(ms "$r0" "$r1")

  h0=$(now); ./jbang deploy@. --help >/dev/null; h1=$(now); help=$(ms "$h0" "$h1")
  printf 'run %d: deploy total %d ms, pulumi %d ms, overhead %d ms; reference %d ms; jbang startup %d ms\n' \
    "$i" "$total" "$p" "$overhead" "$ref" "$help" >&2
  totals+=("$total"); pulumis+=("$p"); overheads+=("$overhead"); refs+=("$ref"); helps+=("$help")
done

m_total=$(printf '%s\n' "${totals[@]}" | median)
m_pulumi=$(printf '%s\n' "${pulumis[@]}" | median)
m_overhead=$(printf '%s\n' "${overheads[@]}" | median)
m_ref=$(printf '%s\n' "${refs[@]}" | median)
m_help=$(printf '%s\n' "${helps[@]}" | median)
echo "deploy-bench: $runs runs, medians (no-change preview of $stack, fake pulumi)"
printf '  deploy total   %6d ms\n' "$m_total"
printf '  pulumi time    %6d ms\n' "$m_pulumi"
printf '  overhead       %6d ms   (goal < 2000 ms: %s)\n' "$m_overhead" "$([[ $m_overhead -lt 2000 ]] && echo met || echo MISSED)"
printf '  reference      %6d ms   (bash: pulumi stack select -c; config set; preview --diff)\n' "$m_ref"
printf '  ratio          %6s     (deploy total / reference)\n' "$(awk -v a="$m_total" -v b="$m_ref" 'BEGIN{printf "%.1fx", a/(b>0?b:1)}')"
printf '  jbang startup  %6d ms   (./jbang deploy@. --help)\n' "$m_help"
printf '  deploy logic   %6d ms   (overhead minus jbang startup: checks, zip verification, parsing, reporting)\n' \
  "$((m_overhead - m_help))"
