#!/usr/bin/env bash
# Launch benchmark: `cordon run -- /usr/bin/true` against `bwrap --unshare-all` with the same
# binds (and with fewer, as measured before) and against a bare `true`, interleaved in one run
# (each round starts one of each, in an order that rotates every round). Prints medians and the
# cordon/bwrap ratio.
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

# bwrap gets the binds of the view cordon builds by default: the system read-only, the curated
# /etc (the entries of ProfileCompiler.etcEntries this machine has, links as links), a private
# /tmp and an empty HOME with the directories cordon makes there, the workspace writable, a
# fresh /proc, a minimal /dev, every namespace unshared. Left out, so that bwrap does a little
# less, never more: the passwd and group cordon writes (bwrap takes such files from a
# descriptor, which one run would use up), and all cordon does beyond binds (its /proc masks,
# Landlock, seccomp, cgroup limits, the audit records).
etc_entries=(ld.so.cache ld.so.conf ld.so.conf.d alternatives ssl ca-certificates ca-certificates.conf
    localtime timezone hosts host.conf nsswitch.conf resolv.conf gai.conf services
    protocols os-release mime.types bash.bashrc inputrc terminfo)
bwrap_args=(--unshare-all --die-with-parent --new-session
    --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/sbin /sbin
    --symlink usr/lib /lib --symlink usr/lib64 /lib64 --ro-bind /opt /opt --dir /etc)
for name in "${etc_entries[@]}"; do
    path="/etc/$name"
    if [[ -L $path ]]; then
        bwrap_args+=(--symlink "$(readlink "$path")" "$path")
    elif [[ -e $path ]]; then
        bwrap_args+=(--ro-bind "$path" "$path")
    fi
done
bwrap_args+=(--proc /proc --dev /dev --tmpfs /tmp --tmpfs "$HOME")
for name in .cache .config .local .local/share .local/state; do bwrap_args+=(--dir "$HOME/$name"); done
bwrap_args+=(--bind "$workspace" "$workspace" --chdir "$workspace")

# For comparison with the figures measured before (Cordon's earlier notes): the same, but with
# only five files of /etc. Each read-only bind costs bwrap about 0.3 ms of waiting, so this
# view starts faster than the one above; it is not the same binds.
bwrap_few_args=(--unshare-all --die-with-parent --new-session
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
bwrap "${bwrap_few_args[@]}" /usr/bin/true

cd "$workspace"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$("$work/launchtime" "$rounds" \
    cordon "$cordon" run --workspace "$workspace" -- /usr/bin/true :: \
    bwrap "$(command -v bwrap)" "${bwrap_args[@]}" /usr/bin/true :: \
    bwrap-5-etc "$(command -v bwrap)" "${bwrap_few_args[@]}" /usr/bin/true :: \
    bare /usr/bin/true)"
echo "$results"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '/^cordon /{split($2,a,"=");c=a[2]; split($5,p,"=");cc=p[2]} /^bwrap /{split($2,b,"=");w=b[2]; split($5,q,"=");wc=q[2]}
     /^bwrap-5-etc /{split($2,f,"=");w5=f[2]}
     END{ if (w > 0) printf "cordon/bwrap median ratio: %.2f (must be <= 1.5, goal <= 1.0)\n", c / w
          if (wc > 0) printf "cordon/bwrap median CPU-time ratio: %.2f\n", cc / wc
          if (w5 > 0) printf "cordon/bwrap-5-etc median ratio: %.2f (fewer binds than cordon makes)\n", c / w5 }' <<<"$results"
