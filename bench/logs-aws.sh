#!/usr/bin/env bash
# Tail → CloudWatch Logs over TLS with SigV4: Signet beside Fluent Bit 4.2.8,
# load by load in one run, with the harness in ../shared/bench-logs (see its
# README: writer, SigV4-checking CloudWatch Logs receiver, /proc accounting).
#
#   npm run bench:logs-aws -- [RATE[xFILES][@ROTATE_BYTES] ...]   default: 10000@5000000 50000@20000000 100000@40000000 (RATE@ROTATE_BYTES: the files rotate as they grow)
#
# Fluent Bit comes from $FLUENTBIT_BIN, else the harness's bin/fluent-bit
# (build it with ../shared/bench-logs/build-fluent-bit.sh from a mirror of
# fluent/fluent-bit); without it only Signet runs and the ratios are left out.
# Signet runs twice per load: as configured by default (an AWS client gets
# the logs WAL: every line is on disk before it is sent) and with the WAL off
# (`memory`: lines wait in memory, like the anchor's Fluent Bit without
# storage.path); SIGNET_VARIANTS="wal" or "memory" picks one.
# All run pinned the same way (AGENT_CPUS=1 HARNESS_CPUS=0 unless set) and
# Signet is started as the installed command is: bin/signet.js through its
# shebang, so the V8 flags there apply. Results are appended to
# $RESULTS_FILE (default bench-logs-aws.jsonl) and summarised with ratios.
# DURATION (default 60) and the other harness variables pass through.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
harness=${BENCH_LOGS_HARNESS:-$root/../shared/bench-logs}
out=${RESULTS_FILE:-$root/bench-logs-aws.jsonl}
case "$out" in /*) ;; *) out="$root/$out" ;; esac
loads=("$@")
[ ${#loads[@]} -gt 0 ] || loads=(10000@5000000 50000@20000000 100000@40000000)
fluentbit=${FLUENTBIT_BIN:-$harness/bin/fluent-bit}
export AGENT_CPUS=${AGENT_CPUS:-1} HARNESS_CPUS=${HARNESS_CPUS:-0}
start_line=$( [ -f "$out" ] && wc -l <"$out" || echo 0)
cd "$harness"
for load in "${loads[@]}"; do
  rest=$load rotate=0 files=4
  case $rest in *@*) rotate=${rest#*@} rest=${rest%@*} ;; esac
  case $rest in *x*) files=${rest#*x} rest=${rest%x*} ;; esac
  export RATE=$rest FILES=$files ROTATE_BYTES=$rotate RESULTS_FILE=$out
  if [ -x "$fluentbit" ] && [ "${SKIP_ANCHOR:-0}" != 1 ]; then
    LABEL="$load" FLUENTBIT_BIN=$fluentbit ./run-anchor.sh >/dev/null
  fi
  for variant in ${SIGNET_VARIANTS:-wal memory}; do
    template=signet-cwl.yml.tmpl name=signet
    [ "$variant" = memory ] && template=signet-cwl-memory.yml.tmpl name=signet-memory
    LABEL="$load" AGENT_NAME=$name CONFIG_TEMPLATE="$root/bench/logs-aws/$template" \
      ./run-agent.sh -- "$root/bin/signet.js" run --config.file='{{CONFIG_FILE}}' >/dev/null
  done
done
node "$root/bench/logs-aws/ratios.mjs" "$out" "$start_line"
