#!/usr/bin/env bash
# What OpenTelemetry costs the create path (issue 19): two APIs over one throwaway PostgreSQL and one
# Temporal test server — one with nothing configured (telemetry off), one with traces, metrics and
# logs exported by OTLP/HTTP to `opsdesk-bench otlp-sink` (a receiver that reads and drops them) and
# /metrics on — each loaded by `opsdesk-bench create` at 32 clients. BENCH_MODE=alternate (the default)
# loads them in turns (slices off/on, on/off, …), each side alone on the machine, as the target reads;
# BENCH_MODE=together loads both at once in every round, so a stall of the shared machine falls on both
# sides of a round's ratio — but then the two APIs compete for the CPU directly, so the ratio is close to
# the ratio of the APIs' own CPU per request (the stricter view: PostgreSQL's and Temporal's share, equal
# on both sides, no longer dilutes it). Triage:StartOnCreate=true: each create also starts its
# workflow (with the Temporal client span and header); no worker polls that queue. Writes its section
# into deploy/bench/RESULTS.md (between the telemetry markers; run.sh keeps it).
#
#   deploy/bench/telemetry.sh                 # 6 rounds of 10 s per side (about 3 minutes)
#   BENCH_ROUNDS=30 deploy/bench/telemetry.sh # the headline run: ±10 % between rounds on 2 shared cores, so many rounds
#   BENCH_ROUNDS=2 BENCH_SLICE_SECONDS=3 deploy/bench/telemetry.sh   # smoke run
set -euo pipefail
NAME=telemetry
# shellcheck source=deploy/bench/telemetry-stack.sh
source "$(dirname "$0")/telemetry-stack.sh"
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
ROUNDS=${BENCH_ROUNDS:-6}
SLICE_SECONDS=${BENCH_SLICE_SECONDS:-10}
CLIENTS=32

start_api off "$API_DLL"
# BENCH_TELEMETRY_ENV adds to (or overrides) the on side's settings, e.g. OTEL_METRICS_EXPORTER=none to price traces alone.
# shellcheck disable=SC2086
start_api on "$API_DLL" "${TELEMETRY_ON[@]}" ${BENCH_TELEMETRY_ENV:-}

log "warming up both (unmeasured, ${WARMUP_SECONDS}s each)"
for name in off on; do warm_up "$name"; done

MODE=${BENCH_MODE:-alternate}
[[ $MODE == together || $MODE == alternate ]] || { echo "telemetry.sh: BENCH_MODE must be together or alternate" >&2; exit 2; }
declare -A TPS P50 P99
load() {  # load off|on ROUND: one slice of load on that API, its report in a file
    lean "$BENCH_DLL" create --url "${URL[$1]}" --concurrency "$CLIENTS" --duration "${SLICE_SECONDS}s" --warmup 1s --output json \
        >"$OUT/telemetry_$1_r$2.json" 2>>"$OUT/telemetry_load.err"
}
record() {  # record off|on ROUND
    local f=$OUT/telemetry_$1_r$2.json
    TPS[$1.$2]=$(jq -r '.throughput' "$f") P50[$1.$2]=$(jq -r '.latency.p50' "$f") P99[$1.$2]=$(jq -r '.latency.p99' "$f")
    [[ $(jq -r '.failed' "$f") == 0 ]] || { echo "telemetry.sh: failed requests in $f" >&2; exit 1; }
}
for r in $(seq 1 "$ROUNDS"); do
    if [[ $MODE == together ]]; then
        log "round $r/$ROUNDS: telemetry off and on at once, $CLIENTS clients each, ${SLICE_SECONDS}s"
        load off "$r" & off_load=$!
        load on "$r" & on_load=$!
        wait "$off_load" && wait "$on_load" || { echo "telemetry.sh: a load generator failed (see $OUT/telemetry_load.err)" >&2; exit 1; }
        record off "$r"; record on "$r"
    else
        if (( r % 2 )); then order=(off on); else order=(on off); fi
        for name in "${order[@]}"; do
            log "round $r/$ROUNDS: telemetry $name, $CLIENTS clients, ${SLICE_SECONDS}s"
            load "$name" "$r" && record "$name" "$r"
        done
    fi
done

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.1f", s / NR }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { local -n m=$1; local name=$2; for r in $(seq 1 "$ROUNDS"); do echo "${m[$name.$r]}"; done; }
OFF_TPS=$(mean $(col TPS off)) ON_TPS=$(mean $(col TPS on))
RATIO=$(awk -v a="$ON_TPS" -v b="$OFF_TPS" 'BEGIN { printf "%.3f", a / b }')
# The rounds' paired ratios (on/off of one round) and their median: one side's slice that stalls (the
# Temporal test server or PostgreSQL pausing) moves the ratio of means a lot and the median little. The
# target counts as met only when both reach it.
PAIR_RATIOS=$(for r in $(seq 1 "$ROUNDS"); do awk -v a="${TPS[on.$r]}" -v b="${TPS[off.$r]}" 'BEGIN { printf "%.3f\n", a / b }'; done)
PAIR_MEDIAN=$(median $PAIR_RATIOS)
MET=$(awk -v r="$RATIO" -v m="$PAIR_MEDIAN" 'BEGIN { print (r >= 0.95 && m >= 0.95) ? "yes" : "**no**" }')
PAIRS=$(for r in $(seq 1 "$ROUNDS"); do printf '%s/%s ' "${TPS[on.$r]%.*}" "${TPS[off.$r]%.*}"; done)
stop_all
SINK_SUMMARY=$(grep -o 'otlp-sink: .*' "$OUT/telemetry_sink.log" || echo "otlp-sink: (no summary)")

{
    echo "<!-- telemetry:begin (written by deploy/bench/telemetry.sh; run.sh keeps this block) -->"
    echo "## Telemetry on vs off (issue 19)"
    echo
    echo "Written by \`deploy/bench/telemetry.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC (commit $(git rev-parse --short HEAD)), load average at start $LOADAVG_START."
    echo "The load generators, both APIs, PostgreSQL and Temporal share 2 cores, so absolute figures move between runs. Compare the ratio, not the figures."
    if [[ $MODE == together ]]; then
        echo "**Mode: together** — in each round both APIs are loaded at once (32 clients each, 64 in all), so whatever stalls the"
        echo "shared machine for a moment stalls both sides of that round's ratio; each side's figure is about half of what it does alone."
    else
        echo "**Mode: alternate** — the slices alternate (off/on, on/off, …), each API alone on the machine, so that drift falls on both sides alike."
    fi
    echo
    echo "Two Release APIs over one PostgreSQL (synchronous_commit=off) and one Temporal test server (real time),"
    echo "\`Triage:StartOnCreate=true\` (every create also starts its workflow, queue not polled). *Off*: no \`OTEL_*\`."
    echo "*On*: traces (ASP.NET Core, Npgsql, HttpClient, OpsDesk, Temporal client span and header, sampler always on),"
    echo "metrics and logs exported by OTLP/HTTP protobuf (the SDK's default intervals, as compose: metrics every 60 s, spans in batches of 512) to \`opsdesk-bench otlp-sink\` on the same machine"
    echo "($SINK_SUMMARY), and \`/metrics\` served. Load: \`opsdesk-bench create\`, $CLIENTS clients, anonymous creates with"
    echo "idempotency keys, $ROUNDS slices of ${SLICE_SECONDS} s per side after a 1 s warm-up each (and ${WARMUP_SECONDS} s of unmeasured load per API first)."
    echo "The test server's JVM: \`$TEMPORAL_JAVA_OPTS\` (a concurrent collector: it holds every started workflow in memory, and the"
    echo "serial collector's pauses, growing with that heap to seconds, stalled whichever slice they fell in)."
    echo "CPU and allocation per request by signal: \`deploy/bench/telemetry-cpu.sh\` (figures in deploy/bench/NOTES.md)."
    [[ -n ${BENCH_TELEMETRY_ENV:-} ]] && echo "On side's extra settings (BENCH_TELEMETRY_ENV): \`$BENCH_TELEMETRY_ENV\`."
    echo
    echo "| measurement | telemetry off | telemetry on | on / off | target | met |"
    echo "|---|---:|---:|---:|---|---|"
    echo "| create throughput, $CLIENTS clients, req/s (mean of $ROUNDS slices) | $OFF_TPS | $ON_TPS | $RATIO | ≥ 0.95 | |"
    echo "| median of the rounds' paired on/off ratios | | | $PAIR_MEDIAN | ≥ 0.95 | |"
    echo "| **both ratios ≥ 0.95** | | | | | $MET |"
    echo "| latency p50, ms (median of slices) | $(median $(col P50 off)) | $(median $(col P50 on)) | | | |"
    echo "| latency p99, ms (median of slices) | $(median $(col P99 off)) | $(median $(col P99 on)) | | | |"
    echo "| each round, on/off req/s | $PAIRS | | | | |"
    echo
    echo "telemetry_on_vs_off_create_c32: $RATIO"
    echo "telemetry_on_vs_off_create_c32_median_of_rounds: $PAIR_MEDIAN"
    echo "<!-- telemetry:end -->"
} >"$TMP/section.md"

if [[ -f $RESULTS ]] && grep -q '<!-- telemetry:begin' "$RESULTS"; then
    awk -v f="$TMP/section.md" '/<!-- telemetry:begin/ { while ((getline l < f) > 0) print l; skip = 1; next } /<!-- telemetry:end -->/ { skip = 0; next } !skip' "$RESULTS" >"$TMP/results.md"
else
    { [[ -f $RESULTS ]] && cat "$RESULTS" && echo; cat "$TMP/section.md"; } >"$TMP/results.md"
fi
cp "$TMP/results.md" "$RESULTS"
cat "$TMP/section.md"
log "done; ratio on/off $RATIO; wrote $RESULTS"
