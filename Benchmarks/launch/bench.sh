#!/usr/bin/env bash
# Launch benchmark: `cordon run -- /usr/bin/true` against `bwrap --unshare-all` with the same
# binds and against a bare `true`, interleaved in one run (each round starts one of each, in an
# order that rotates every round). Prints medians and the cordon/bwrap ratio.
#
#   Benchmarks/launch/bench.sh [ROUNDS]        (default 200)
#
# Builds cordon as it is installed (scripts/build-release), and
# installs bubblewrap with apt-get when it is missing.
set -euo pipefail

rounds="${1:-200}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if ! command -v bwrap >/dev/null; then
    apt-get update
    apt-get install -y bubblewrap
fi

echo "building cordon (scripts/build-release) ..." >&2
cordon="$("$repo/scripts/build-release")"

# Not under /tmp: the sandbox gets a /tmp of its own, so a workspace there cannot be granted.
work="$(mktemp -d /var/tmp/cordon-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
workspace="$work/project"
mkdir -p "$workspace"
cc -O2 -o "$work/launchtime" "$here/launchtime.c"

# bwrap gets the view cordon builds by default: the system read-only, a private /tmp and HOME,
# the workspace writable, a fresh /proc, a minimal /dev, every namespace unshared.
bwrap_args=(--unshare-all --die-with-parent --new-session
    --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/sbin /sbin
    --symlink usr/lib /lib --symlink usr/lib64 /lib64 --ro-bind /opt /opt
    --ro-bind /etc/ld.so.cache /etc/ld.so.cache --ro-bind /etc/hosts /etc/hosts
    --ro-bind /etc/nsswitch.conf /etc/nsswitch.conf --ro-bind /etc/resolv.conf /etc/resolv.conf
    --ro-bind /etc/localtime /etc/localtime
    --proc /proc --dev /dev --tmpfs /tmp --tmpfs "$HOME" --bind "$workspace" "$workspace"
    --chdir "$workspace")

# Each contender must work before it is timed.
(cd "$workspace" && "$cordon" run -- /usr/bin/true) || { echo "cordon run -- /usr/bin/true failed; nothing to measure" >&2; exit 1; }
bwrap "${bwrap_args[@]}" /usr/bin/true

cd "$workspace"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$("$work/launchtime" "$rounds" \
    cordon "$cordon" run --workspace "$workspace" -- /usr/bin/true :: \
    bwrap "$(command -v bwrap)" "${bwrap_args[@]}" /usr/bin/true :: \
    bare /usr/bin/true)"
echo "$results"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '/^cordon /{split($2,a,"=");c=a[2]; split($5,p,"=");cc=p[2]} /^bwrap /{split($2,b,"=");w=b[2]; split($5,q,"=");wc=q[2]}
     END{ if (w > 0) printf "cordon/bwrap median ratio: %.2f (must be <= 1.5, goal <= 1.0)\n", c / w
          if (wc > 0) printf "cordon/bwrap median CPU-time ratio: %.2f\n", cc / wc }' <<<"$results"
