#!/usr/bin/env bash
# scripts/dev/bare-machine-check.sh — prove the README's two first commands on a bare Debian 12.
#
# Makes an empty debian:bookworm root filesystem with debootstrap (minbase, like the Docker image,
# with the same main/updates/security sources), enters it with chroot as root, does what a user
# does to get the repository onto a bare machine (apt-get install git; git clone of this
# repository's committed HEAD, from a bundle: no build output, no caches) and runs exactly
#     ./jbang build-zip@.
#     scripts/run-tests.sh
# nothing else: no JDK, Maven, Node, Rust or qemu is there before. Not part of the CI run (it takes
# about an hour on 2 cores); run it by hand after changing setup.sh, run-tests.sh or the launcher.
#
# Usage:  sudo scripts/dev/bare-machine-check.sh [--dir DIR] [--keep] [--base-tar FILE] [-- RUN-TESTS ARGS]
#   --dir DIR        where the root filesystem goes (default /var/tmp/scorer-bare-check); emptied first
#   --keep           leave the root filesystem (default: removed after a green run)
#   --base-tar FILE  start from a tarball of a fresh debootstrap (saves its ~2 min when iterating);
#                    the reported time then excludes debootstrap
#   --reuse          keep DIR as a previous --keep run left it (installed packages, tool and build
#                    caches under /root) and only replace the checkout with a fresh clone of HEAD:
#                    proves a newer commit in minutes, but not from nothing (say so when reporting)
#   after --         extra arguments for scripts/run-tests.sh inside (e.g. --fast)
# Reads:  the repository's HEAD (commit first: uncommitted changes are not copied).
# Writes: DIR, and DIR.log (everything the commands printed, with per-phase times).
# Network: like any machine here, the Debian mirror and the package registries only; the host's
#         local CA certificates and CA-bundle variables are copied (see below), nothing else.
# Prints: every line the commands print, prefixed with the seconds into its phase; one line per
#         phase with its time; the longest silence of each command; the load average at the end.
# Exits:  0 when both commands passed; the failing phase's exit code otherwise.
# Needs:  root (debootstrap, chroot, mounts), debootstrap (apt-get install debootstrap), the Debian mirror.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir=/var/tmp/scorer-bare-check
keep=0
reuse=0
base_tar=
mirror=http://deb.debian.org/debian
while (( $# )); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --reuse) reuse=1; keep=1; shift ;;
    --base-tar) base_tar="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
(( EUID == 0 )) || { echo "run as root (debootstrap and chroot need it)" >&2; exit 3; }
command -v debootstrap >/dev/null || { echo "install debootstrap first: apt-get install debootstrap" >&2; exit 3; }

log="$dir.log"
started=$(date +%s)
phase_started=$started
declare -a phases=()
phase() {  # phase NAME: ends the previous phase (records its time), starts the next
  local now; now=$(date +%s)
  if [[ -n "${current:-}" ]]; then
    phases+=("$(printf '%-28s %5ds' "$current" $(( now - phase_started )))")
    printf '[bare-check +%ss] done: %s in %ss\n' $(( now - started )) "$current" $(( now - phase_started ))
  fi
  current="$1"; phase_started=$now
  # (an if, not `[[ ]] &&`: the last phase has no name, and a false test would end the script under set -e)
  if [[ -n "$1" ]]; then printf '[bare-check +%ss] %s\n' $(( now - started )) "$1" | tee -a "$log"; fi
}

cleanup_mounts() {
  for m in dev/pts dev proc sys; do
    mountpoint -q "$dir/$m" 2>/dev/null && umount -l "$dir/$m" || true
  done
}
trap cleanup_mounts EXIT

cleanup_mounts
: > "$log"
if (( reuse )); then
  [[ -x "$dir/usr/bin/git" && -d "$dir/root" ]] || { echo "--reuse: $dir is not a root filesystem left by --keep" >&2; exit 3; }
else
rm -rf "$dir"; mkdir -p "$dir"
if [[ -n "$base_tar" ]]; then
  phase "unpack $base_tar"
  tar -C "$dir" -xf "$base_tar"
else
  phase "debootstrap bookworm (minbase)"
  debootstrap --variant=minbase bookworm "$dir" "$mirror" >>"$log" 2>&1
fi

# What the debian:bookworm image has: main, updates and security (rustc-web 1.96 is in security).
rm -f "$dir/etc/apt/sources.list"
cat > "$dir/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cp /etc/resolv.conf "$dir/etc/resolv.conf"
# This workplace reaches the registries through a TLS-inspecting proxy: every machine here has its CA
# in /usr/local/share/ca-certificates (Debian's ca-certificates adds it to the system store when it
# is installed) and variables that point tools at that store. The bare root filesystem gets the
# same, and nothing else of this machine; elsewhere there is nothing to copy.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$dir/usr/local/share/ca-certificates"   # minbase has no such directory before ca-certificates
  cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
fi
fi
ca_env=()
for v in SSL_CERT_FILE SSL_CERT_DIR NODE_EXTRA_CA_CERTS PIP_CERT REQUESTS_CA_BUNDLE CURL_CA_BUNDLE GIT_SSL_CAINFO AWS_CA_BUNDLE; do
  [[ -n "${!v:-}" ]] && ca_env+=("$v=${!v}")
done

mount -t proc proc "$dir/proc"
mount -t sysfs sysfs "$dir/sys"
mount --bind /dev "$dir/dev"
mount --bind /dev/pts "$dir/dev/pts"

# How the repository reaches a bare machine: the user installs git and clones it. The clone comes
# from a bundle of HEAD's branch (the chroot cannot see this repository).
branch="$(git -C "$repo" symbolic-ref --short HEAD)"
rm -rf "$dir/root/scorer-pipeline"
git -C "$repo" bundle create -q "$dir/root/scorer-pipeline.bundle" "$branch"
if (( reuse )); then
  phase "reuse $dir: fresh git clone of HEAD"
  install_git=
else
  phase "the user's step zero: apt-get install git, git clone"
  install_git='apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git && '
fi
chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash -c "${install_git}git clone -q -b '$branch' /root/scorer-pipeline.bundle /root/scorer-pipeline && rm /root/scorer-pipeline.bundle" >>"$log" 2>&1
git -C "$dir/root/scorer-pipeline" log --oneline -1 | tee -a "$log"

# A login-like environment: nothing of this machine's PATH, caches or tool variables.
in_chroot() {
  chroot "$dir" /usr/bin/env -i HOME=/root USER=root LOGNAME=root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${ca_env[@]}" ${CI:+CI=$CI} \
    /bin/bash -c "cd /root/scorer-pipeline && $1"
}

# Prefixes each line with the seconds since the phase started and tracks the longest stretch
# without a line (the "never silent for more than 15 s" check of a cold build-zip).
stamp() {
  local t0=$SECONDS last=$SECONDS line longest=0 at=0
  while IFS= read -r line; do
    if (( SECONDS - last > longest )); then longest=$(( SECONDS - last )); at=$(( last - t0 )); fi
    last=$SECONDS
    printf '%5ds | %s\n' $(( SECONDS - t0 )) "$line"
  done
  printf 'longest silence: %ds (after +%ds)\n' "$longest" "$at" > "$dir.silence"
}

rc=0
phase "./jbang build-zip@."
in_chroot './jbang build-zip@.' 2>&1 | stamp | tee -a "$log" || rc=${PIPESTATUS[0]}
build_silence="$(cat "$dir.silence")"
if (( rc == 0 )); then
  phase "scripts/run-tests.sh $*"
  in_chroot "scripts/run-tests.sh $*" 2>&1 | stamp | tee -a "$log" || rc=${PIPESTATUS[0]}
  tests_silence="$(cat "$dir.silence")"
fi
phase ""

{
  echo
  echo "bare-machine check: $( (( rc == 0 )) && echo PASSED || echo "FAILED (exit $rc)" ) in $(( $(date +%s) - started )) s"
  printf '  %s\n' "${phases[@]}"
  echo "  build-zip: $build_silence"
  [[ -n "${tests_silence:-}" ]] && echo "  run-tests: $tests_silence"
  echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
} | tee -a "$log"
cleanup_mounts
(( rc == 0 && keep == 0 )) && rm -rf "$dir"
exit "$rc"
