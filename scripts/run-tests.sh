#!/usr/bin/env bash
# scripts/run-tests.sh — the project's test command: installs what the tests need, then runs them.
#
# Usage:  scripts/run-tests.sh [--fast] [--no-setup] [MAVEN ARGS...]
#   --fast      the development subset: skips the Java tests tagged "slow" (the end-to-end runs
#               that build the scorer, zigbuild, JBang compiles, act, the real Pulumi CLI) and the
#               Jazzer fuzzing run — a few minutes
#   --no-setup  do not run scripts/setup.sh (nothing is installed; missing tools fail their tests)
#   other arguments go to `mvn test`, e.g. -Dtest='scorerci.zip.*Test'
# Reads:  the repository; SCORER_STAGE_HEARTBEAT (seconds of silence before a "still running"
#         line, default 10); GITHUB_ACTIONS (stage output inside ::group::).
# Writes: what setup.sh installs (as root or through sudo), scorer/target, infra/node_modules,
#         target/ (Maven, and target/test-progress.log: the test that is running).
# Prints: per stage a header, its tools' output, a heartbeat with the elapsed time after every
#         10 s of silence (naming the Java test that is running), the name of each Java test as it
#         starts; at the end (also after a failure) each stage's time.
# Exits:  0 when every stage passed, else the failing stage's exit code.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fast=0 setup=1 maven_args=()
for a in "$@"; do
  case "$a" in
    --fast) fast=1 ;;
    --no-setup) setup=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) maven_args+=("$a") ;;
  esac
done

suite_started=$SECONDS
# what is in the work tree but not in git before the tests: anything new at the end, besides the
# build outputs, is something a test left behind (reported with the stage times). Taken after the
# setup stage: on a bare machine git itself comes with setup.sh.
worktree_state() { git -C "$root" status --porcelain --ignored 2>/dev/null | sed 's/^.. //' | sort; }
before_suite= have_before=0
heartbeat_every=${SCORER_STAGE_HEARTBEAT:-10}   # so that no gap exceeds 15 s
progress_file="$root/target/test-progress.log"   # written by scorerci.testing.TestProgressListener
suite_log="$root/target/run-tests.log"            # every stage's output, for the totals at the end
mkdir -p "$root/target"; : > "$progress_file"; : > "$suite_log"
in_actions=0; [[ "${GITHUB_ACTIONS:-}" == true ]] && in_actions=1
stage_names=() stage_times=() stage_results=()
current_stage=

clock() { local s=$1; if (( s >= 60 )); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi; }

# The stage's output, line by line as it comes; after heartbeat_every seconds without a line, one
# "still running" line with the elapsed time and the Java test in progress. Also prints the test
# starts that the JUnit listener appends to the progress file.
relay() {
  local line pending='' last=$SECONDS started=$SECONDS progress_fd=
  while :; do
    if [[ -z "$progress_fd" && -f "$progress_file" ]]; then exec {progress_fd}<"$progress_file"; fi
    if IFS= read -r -t 1 line; then
      printf '%s%s\n' "$pending" "$line"; printf '%s%s\n' "$pending" "$line" >>"$suite_log"; pending=''; last=$SECONDS
    elif (( $? > 128 )); then
      pending+=$line
    else
      [[ -n "$pending$line" ]] && printf '%s%s\n' "$pending" "$line" | tee -a "$suite_log"
      break
    fi
    if [[ -n "$progress_fd" ]]; then
      while IFS= read -r -u "$progress_fd" line; do printf '%s\n' "$line"; last=$SECONDS; running=$line; done
    fi
    if (( SECONDS - last >= heartbeat_every )); then
      printf '[run-tests %s] still running: %s (%s in this stage%s)\n' "$(clock $((SECONDS - suite_started)))" \
        "$current_stage" "$(clock $((SECONDS - started)))" "${running:+; last test started: ${running#*▶ }}"
      last=$SECONDS
    fi
  done
  [[ -n "$progress_fd" ]] && exec {progress_fd}<&-
  return 0
}

# stage NAME COMMAND...: runs COMMAND in this shell (so a tools line's `export` stays), its output
# through relay, and records its time and result. A failing stage ends the suite.
stage() {
  local name=$1; shift
  current_stage=$name
  local n=$(( ${#stage_names[@]} + 1 )) started=$SECONDS rc=0
  (( in_actions )) && echo "::group::$name"
  printf '\n=== [%d] %s   (suite at %s)\n' "$n" "$name" "$(clock $((SECONDS - suite_started)))"
  local relay_fd relay_pid
  exec {relay_fd}> >(relay)
  relay_pid=$!
  set +e
  "$@" >&"$relay_fd" 2>&1
  rc=$?
  set -e
  exec {relay_fd}>&-
  wait "$relay_pid" 2>/dev/null || true
  (( in_actions )) && echo "::endgroup::"
  stage_names+=("$name"); stage_times+=($(( SECONDS - started ))); stage_results+=("$( (( rc == 0 )) && echo ok || echo "FAILED ($rc)")")
  if (( rc != 0 )); then
    printf '\n=== %s failed with exit code %d after %s\n' "$name" "$rc" "$(clock $((SECONDS - started)))"
    (( in_actions )) && echo "::error::test stage '$name' failed (exit $rc)"
    exit "$rc"
  fi
}

report_times() {
  local rc=$? i
  (( ${#stage_names[@]} )) || return 0
  printf '\n=== stage times%s\n' "$( (( fast )) && echo ' (--fast)')"
  for i in "${!stage_names[@]}"; do
    printf '  %-62s %8s  %s\n' "${stage_names[$i]}" "$(clock "${stage_times[$i]}")" "${stage_results[$i]}"
  done
  printf '  %-62s %8s  %s\n' "total" "$(clock $((SECONDS - suite_started)))" "$( (( rc == 0 )) && echo ok || echo "exit $rc")"
  printf '  (load average %s on %s cores)\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
  local left=
  if (( have_before )); then   # else setup did not finish, or there is no git: nothing to compare
    left="$(comm -13 <(printf '%s\n' "$before_suite") <(worktree_state) \
      | grep -vxE 'target/|scorer/target/|infra/node_modules/|scripts/src/test/node/[^/]+/node_modules/|\.tools/' || true)"
  fi
  [[ -z "$left" ]] || printf 'warning: the tests left these in the work tree (clean up in the test): %s\n' "$(echo $left)"
  totals
}

# One closing line over all runners: cargo's "test result:" lines, node's TAP "# pass/# fail/# skip",
# Surefire's "Tests run:" summary of each execution (the suite's and the fuzz one; the per-class
# lines carry "Time elapsed" and are not counted).
totals() {
  awk '
    /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i } }
    /^# pass [0-9]+$/ { p += $3 } /^# fail [0-9]+$/ { f += $3 } /^# skipped [0-9]+$/ { s += $3 } /^# todo [0-9]+$/ { s += $3 }
    /Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
      sub(/.*Tests run: /, ""); gsub(/[A-Za-z:]/, ""); split($0, v, ", *")
      p += v[1] - v[2] - v[3] - v[4]; f += v[2] + v[3]; s += v[4] }
    END { if (p + f + s > 0) printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }
  ' "$suite_log"
}
trap report_times EXIT

if (( setup )); then stage "setup: system packages, Node 20, moto (scripts/setup.sh)" scripts/setup.sh; fi
if command -v git >/dev/null; then before_suite="$(worktree_state)" have_before=1; fi

tools() {
  # Go for the tools built from the Go module proxy: a recent one on PATH, or fetched (scripts/tools/go.sh)
  GO="$(scripts/tools/go.sh)"; export GO PATH="$(dirname "$GO"):$PATH"
  # --- tools stage: one line per tool (scripts/tools/<tool>.sh prints its path; cached by version) ---
  SCORER_ACT="$(scripts/tools/act.sh)" && export SCORER_ACT || return 1                        # act: job-graph tests
  SCORER_ACTIONLINT="$(scripts/tools/actionlint.sh)" && export SCORER_ACTIONLINT || return 1   # actionlint 1.7.12 + shellcheck
  SCORER_ZIZMOR="$(scripts/tools/zizmor.sh)" && export SCORER_ZIZMOR || return 1               # zizmor: workflow audit
  SCORER_PULUMI_BIN_DIR="$(scripts/tools/pulumi.sh)" && export SCORER_PULUMI_BIN_DIR || return 1  # Pulumi CLI v3.276.0 + YAML host + test provider
  # --- end of tools stage ---
}
stage "tools: real peers built or cached by version" tools

stage "scorer: cargo test (host build)" bash -c 'cd scorer && cargo --version && cargo test --locked'

# `npm test` runs the type check first (package.json)
stage "infra: npm ci, npm test (type check + Pulumi mock tests)" \
  bash -c 'cd infra && node --version && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm test'

# The aarch64 scorer, built once with the README's own command; the end-to-end tests build into the
# same scorer/target, so cargo has nothing left to do there (and their timeouts never include it).
if (( ! fast )); then
  stage "scorer: aarch64 bootstrap.zip, once for the suite (./jbang build-zip@.)" ./jbang build-zip@.
fi

maven_flags=(-B -ntp)
(( fast )) && maven_flags+=(-DexcludedGroups=slow -P '!fuzz')   # the fuzz profile is pom.xml's Jazzer run
stage "scripts: mvn test$( (( fast )) && echo ' (fast: without @Tag(slow))')" \
  mvn "${maven_flags[@]}" test "${maven_args[@]}"
