#!/usr/bin/env bash
# scripts/run-tests.sh — the project's whole test suite (the README's test command).
#
# Reads:  the repository; needs the toolchains .ci/run installs (Rust with aarch64 std,
#         qemu-user-static, Node 20+, JDK 17 + Maven, Python 3 for moto).
# Writes: build output under scorer/target, infra/node_modules, target/ and test temp dirs.
# Prints: each suite's own report; Maven Surefire's totals come last.
# Exits:  0 when every suite passed, else the first failing suite's exit code.
#
# Suites, in order (fast and independent first):
#   1. scorer/   cargo test          (Rust unit and handler tests, host build)
#   2. infra/    npm test, tsc       (Pulumi mock-based unit tests, type check)
#   3. scripts/  mvn test            (Java unit, fakes, qemu end to end, actionlint,
#                                     @actions/artifact interop, moto)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stage() { printf '\n=== %s\n' "$*"; }

stage "scorer: cargo test"
(cd scorer && cargo test --locked)

stage "infra: npm test and type check"
(cd infra && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm test && npm run typecheck)

stage "scripts: mvn test"
mvn -B -ntp test "$@"
