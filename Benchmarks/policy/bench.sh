#!/usr/bin/env bash
# Policy benchmark: `cordon policy bench` on the sample agent policy and on the enterprise policy,
# beside the Python Rego engines (OPA, regorus, rego-cpp) measured in the same run by the oracle
# scripts. Prints one table: engine, µs per decision, ratio to OPA.
#
#   Benchmarks/policy/bench.sh [ORACLE_DIR]
#
# ORACLE_DIR defaults to ../shared/tools/rego-oracle beside the repository. Environment:
#   PYTHON        interpreter with the oracle packages (default: python3; see the oracle README)
#   AGENT_COUNT   cordon evaluations of the agent policy (default 200000)
#   LARGE_COUNT   cordon evaluations of the enterprise policy, cycling its 1,000 inputs (default 5000)
#   RUNS          runs of each Python engine (default 5)
#   LARGE_ONLY    Python engines for the enterprise policy (default opa,regorus,regopy-bundle)
#   BUDGET_S      time cap per Python engine on the enterprise policy (default 120)
#   CORDON        a cordon binary to measure instead of building one
#
# Builds cordon in release into .build-release-perf. Python timings include handing the input
# over from Python (the `baseline` row is that floor); cordon's are in-process.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
oracle="${1:-$(cd "$repo/.." && pwd)/shared/tools/rego-oracle}"
python="${PYTHON:-python3}"
agent_count="${AGENT_COUNT:-200000}"
large_count="${LARGE_COUNT:-5000}"
runs="${RUNS:-5}"
large_only="${LARGE_ONLY:-opa,regorus,regopy-bundle}"
budget="${BUDGET_S:-120}"

[ -f "$oracle/agent_policy.py" ] || { echo "no oracle scripts in $oracle" >&2; exit 1; }

if [ -n "${CORDON:-}" ]; then
    cordon="$CORDON"
else
    echo "building cordon (release) ..." >&2
    (cd "$repo" && swift build -c release --scratch-path .build-release-perf --product cordon >&2)
    cordon="$repo/.build-release-perf/release/cordon"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The agent policy, its data and input, as files.
mkdir -p "$work/agent"
"$python" - "$oracle" "$work/agent" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from agent_policy import DATA, INPUT, POLICY
out = sys.argv[2]
open(f"{out}/policy.rego", "w").write(POLICY)
json.dump(DATA, open(f"{out}/data.json", "w"))
json.dump(INPUT, open(f"{out}/input.json", "w"))
PY

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/load" >&2

echo "cordon: agent policy ..." >&2
"$cordon" policy bench -f json --count "$agent_count" -d "$work/agent/policy.rego" -d "$work/agent/data.json" \
    -i "$work/agent/input.json" data.agent.authz.allow >"$work/cordon-agent.json"
echo "cordon: enterprise policy ..." >&2
"$cordon" policy bench -f json --count "$large_count" -d "$oracle/large/policy.rego" -d "$oracle/large/data.json" \
    -i "$oracle/large/inputs.jsonl" data.cordon.authz.decision >"$work/cordon-large.json"

echo "python engines: agent policy ..." >&2
"$python" "$oracle/bench_oracles.py" --runs "$runs" \
    --only baseline,opa-golib,regorus,regopy-bundle >"$work/oracles.txt" 2>&1 || true
echo "python engines: enterprise policy (capped at ${budget}s per engine) ..." >&2
"$python" "$oracle/bench_large.py" --no-write --runs "$runs" --budget-s "$budget" \
    --only "baseline,$large_only" >"$work/large.txt" 2>&1 || true

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/load"

"$python" - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
print(open(f"{work}/load").read().strip())

def cordon(name):
    r = json.load(open(f"{work}/cordon-{name}.json"))
    return r["ns_per_op"] / 1e3, f"n {r['n']}, cpu {r['cpu_ns_per_op'] / 1e3:.2f} µs"


def oracles():
    # bench_oracles.py: name setup_ms result checks median_us min_us max_us
    rows = {}
    for line in open(f"{work}/oracles.txt"):
        m = re.match(r"(\S+)\s+[\d.]+\s+\S+\s+(\d+)/(\d+)\s+([\d.]+)", line)
        if m:
            rows[m.group(1)] = (float(m.group(4)), f"checks {m.group(2)}/{m.group(3)}")
    return rows

def large():
    # bench_large.py final table: name setup_ms first_ms us/dec[*] p50 p90 agree what
    rows = {}
    for line in open(f"{work}/large.txt"):
        m = re.match(r"(\S+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)(\*?)\s+[\d.]+\s+[\d.]+\s+(\S+)", line)
        if m:
            rows[m.group(1)] = (float(m.group(2)), ("capped " if m.group(3) else "") + f"agree {m.group(4)}")
    return rows

for title, own, peers, opa in (("agent policy (data.agent.authz.allow)", "agent", oracles(), "opa-golib"),
                               ("enterprise policy (data.cordon.authz.decision, 1,000 inputs)", "large", large(), "opa")):
    us, note = cordon(own)
    rows = [("cordon (in-process)", us, note)] + [(k, v[0], v[1]) for k, v in peers.items()]
    ref = peers.get(opa, (None,))[0]
    print(f"\n{title}")
    print(f"{'engine':22} {'µs/decision':>12} {'vs OPA':>8}  note")
    for name, t, note in rows:
        ratio = f"{t / ref:8.3f}" if ref else f"{'-':>8}"
        print(f"{name:22} {t:12.2f} {ratio}  {note}")
    if not peers:
        print("(no Python engines: see the raw output below)")
PY
if ! grep -q "opa" "$work/oracles.txt" || ! grep -q "^opa " "$work/large.txt"; then
    echo; echo "--- bench_oracles.py"; cat "$work/oracles.txt"; echo "--- bench_large.py"; cat "$work/large.txt"
fi
