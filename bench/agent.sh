#!/usr/bin/env bash
# Signet against Prometheus 2.42 in agent mode, back to back on the same
# synthetic targets, with the harness in ../shared/bench (see its README):
#
#   npm run bench:agent -- [TARGETSxSERIES ...]      default: 5x2000 50x2000 250x2000
#
# Each load runs the anchor, then Signet (5 s interval, SigV4 on for Signet;
# Debian's Prometheus cannot sign, see the harness README). Results are
# appended to $RESULTS_FILE (default bench-results.jsonl) and the ratios
# printed by bench/agent-ratios.mjs. Needs `prometheus` installed; the
# machine should be otherwise idle.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
harness=${BENCH_HARNESS:-$root/../shared/bench}
out=${RESULTS_FILE:-$root/bench-results.jsonl}
case "$out" in /*) ;; *) out="$root/$out" ;; esac
loads=("$@")
[ ${#loads[@]} -gt 0 ] || loads=(5x2000 50x2000 250x2000)
[ -f "$root/dist/src/cli/main.js" ] || (cd "$root" && npx tsc -p tsconfig.json)
cd "$harness"
for load in "${loads[@]}"; do
  targets=${load%x*}
  series=${load#*x}
  if [ "${SKIP_ANCHOR:-0}" != 1 ]; then
    REQUIRE_SIGV4=0 TARGETS=$targets SERIES_PER_TARGET=$series RESULTS_FILE=$out ./run-anchor.sh
  fi
  AGENT_NAME=signet AGENT_CONFIG_TEMPLATE=configs/grafana-agent-static.yml.tmpl \
    AGENT_METRICS_URL='http://127.0.0.1:{{AGENT_HTTP_PORT}}/metrics' \
    TARGETS=$targets SERIES_PER_TARGET=$series RESULTS_FILE=$out \
    ./run-agent.sh node "$root/bin/signet.js" run --config.file={{CONFIG}}
done
node "$root/bench/agent-ratios.mjs" "$out"
