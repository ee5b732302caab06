#!/usr/bin/env bash
# Egress proxy benchmark: direct, through Cordon's proxy and through tinyproxy, in one run.
# Prints a Markdown table (throughput of one large transfer, added latency per new connection,
# 1,000 concurrent tunnels with errors and leaked descriptors).
#
#   Benchmarks/cordon-bench-proxy/bench.sh [--bytes N] [--connections N] [--tunnels N]
#
# Builds the benchmark in release into .build-release and installs tinyproxy with apt-get when
# it is missing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if ! command -v tinyproxy >/dev/null; then
    apt-get update
    apt-get install -y tinyproxy
fi

echo "building cordon-bench-proxy (release) ..." >&2
(cd "$repo" && swift build -c release --scratch-path .build-release --product cordon-bench-proxy >&2)
exec "$repo/.build-release/release/cordon-bench-proxy" "$@"
