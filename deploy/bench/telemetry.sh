#!/usr/bin/env bash
# What OpenTelemetry costs the create path (issue 19): APIs over one throwaway PostgreSQL and one Temporal
# test server — *off* with nothing configured, *on* with traces, metrics and logs exported by OTLP/HTTP to
# `opsdesk-bench otlp-sink` (a receiver that reads and drops them) and /metrics served — loaded by
# `opsdesk-bench create` at 32 clients. Triage:StartOnCreate=true: each create also starts its workflow
# (with the Temporal client span and header); no worker polls that queue. Writes its section into
# deploy/bench/RESULTS.md (between the telemetry markers; run.sh keeps it).
#
# BENCH_MODE=interleaved (the default): one generator's 32 clients send to off, on and off2 (a second
# off) in turns of BENCH_SLOT (1 s), so each API runs alone on the machine and whatever disturbs the
# machine for longer than a few slots falls on all three; off2/off is the method's own error, measured in
# the same run. BENCH_MODE=alternate: slices of BENCH_SLICE_SECONDS per side, off/on then on/off, for
# BENCH_ROUNDS rounds. BENCH_MODE=together: both APIs loaded at once in every round (they then compete
# for the CPU directly, so the ratio approaches their CPU per request).
#
#   deploy/bench/telemetry.sh                       # the headline: 900 s interleaved (about 17 minutes)
#   BENCH_SECONDS=60 deploy/bench/telemetry.sh      # a shorter run (±5 % between such runs)
#   BENCH_MODE=alternate BENCH_ROUNDS=2 BENCH_SLICE_SECONDS=3 deploy/bench/telemetry.sh   # smoke run
#   BENCH_API_GC_ENV=DOTNET_GCgen0size=0x400000 deploy/bench/telemetry.sh  # both APIs with README's memory setting
set -euo pipefail
NAME=telemetry
# shellcheck source=deploy/bench/telemetry-stack.sh
source "$(dirname "$0")/telemetry-stack.sh"
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
ROUNDS=${BENCH_ROUNDS:-6}
SLICE_SECONDS=${BENCH_SLICE_SECONDS:-10}
CLIENTS=32

MODE=${BENCH_MODE:-interleaved}
[[ $MODE == together || $MODE == alternate || $MODE == interleaved ]] || { echo "telemetry.sh: BENCH_MODE must be interleaved, alternate or together" >&2; exit 2; }
# BENCH_OFF_ENV: settings for the off side(s) too (to compare two telemetry configurations with each other).
# shellcheck disable=SC2086
start_api off "$API_DLL" ${BENCH_OFF_ENV:-}
# BENCH_TELEMETRY_ENV adds to (or overrides) the on side's settings, e.g. OTEL_METRICS_EXPORTER=none to price traces alone.
# shellcheck disable=SC2086
start_api on "$API_DLL" "${TELEMETRY_ON[@]}" ${BENCH_TELEMETRY_ENV:-}
SIDES=(off on)
if [[ $MODE == interleaved ]]; then
    # A second API exactly like off: what off2/off reads is the method's own error, measured in the same run.
    # shellcheck disable=SC2086
    start_api off2 "$API_DLL" ${BENCH_OFF_ENV:-}
    SIDES+=(off2)
fi

log "warming up (unmeasured, ${WARMUP_SECONDS}s each)"
for name in "${SIDES[@]}"; do warm_up "$name"; done

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
if [[ $MODE == interleaved ]]; then
    MEASURED=${BENCH_SECONDS:-900}
    SLOT=${BENCH_SLOT:-1s}
    log "interleaved: off, on, off2 in turns of $SLOT, $CLIENTS clients, ${MEASURED}s measured"
    f=$OUT/telemetry_interleaved.json
    lean "$BENCH_DLL" create --url "${URL[off]}" --alternate-with "${URL[on]}" --alternate-with "${URL[off2]}" --concurrency "$CLIENTS" \
        --duration "${MEASURED}s" --warmup 12s --slot "$SLOT" >"$f" 2>>"$OUT/telemetry_load.err" \
        || { echo "telemetry.sh: the load generator failed (see $OUT/telemetry_load.err)" >&2; exit 1; }
    [[ $(jq '.failed | add' "$f") == 0 ]] || { echo "telemetry.sh: failed requests in $f" >&2; exit 1; }
    j() { jq -r "$1" "$f"; }
    OFF_TPS=$(j '.throughput[0]') ON_TPS=$(j '.throughput[1]') OFF2_TPS=$(j '.throughput[2]')
    RATIO=$(j '.ratio[1]') PAIR_MEDIAN=$(j '.slotRatioMedian[1]') NULL_RATIO=$(j '.ratio[2]') NULL_MEDIAN=$(j '.slotRatioMedian[2]')
    MET=$(awk -v r="$RATIO" -v m="$PAIR_MEDIAN" 'BEGIN { print (r >= 0.95 && m >= 0.95) ? "yes" : "**no**" }')
else
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
fi
stop_all
SINK_SUMMARY=$(grep -o 'otlp-sink: .*' "$OUT/telemetry_sink.log" || echo "otlp-sink: (no summary)")

{
    echo "<!-- telemetry:begin (written by deploy/bench/telemetry.sh; run.sh keeps this block) -->"
    echo "## Telemetry on vs off (issue 19)"
    echo
    echo "Written by \`deploy/bench/telemetry.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ":(exclude)deploy/bench/RESULTS.md" || echo ", with uncommitted changes")), load average at start $LOADAVG_START."
    echo "The load generators, the APIs, PostgreSQL and Temporal share 2 cores, so absolute figures move between runs. Compare the ratio, not the figures."
    if [[ $MODE == interleaved ]]; then
        echo "**Mode: interleaved** — one load generator's $CLIENTS clients send to three APIs in turns of $SLOT (off, on, off2, off, …), so each"
        echo "runs alone on the machine and anything that disturbs it for longer than a few slots (a collector's cycle in the Temporal"
        echo "server, an autovacuum, a neighbour) falls on all three. *off2* is a second API exactly like *off*: off2/off is the method's own error."
        echo "Each on slot is also compared with the mean of the off slots either side of it; the median of those ratios is the second figure."
    elif [[ $MODE == together ]]; then
        echo "**Mode: together** — in each round both APIs are loaded at once (32 clients each, 64 in all), so whatever stalls the"
        echo "shared machine for a moment stalls both sides of that round's ratio; each side's figure is about half of what it does alone."
    else
        echo "**Mode: alternate** — the slices alternate (off/on, on/off, …), each API alone on the machine, so that drift falls on both sides alike."
    fi
    echo
    echo "Release APIs over one PostgreSQL (synchronous_commit=off) and one Temporal test server (real time),"
    echo "\`Triage:StartOnCreate=true\` (every create also starts its workflow, queue not polled). *Off*: no \`OTEL_*\`."
    echo "*On*: traces (ASP.NET Core, Npgsql, HttpClient, OpsDesk, Temporal client span and header, sampler always on),"
    echo "metrics and logs exported by OTLP/HTTP protobuf (the SDK's default intervals, as compose: metrics every 60 s, spans in batches of 512) to \`opsdesk-bench otlp-sink\` on the same machine"
    echo "($SINK_SUMMARY), and \`/metrics\` served. Load: \`opsdesk-bench create\`, $CLIENTS clients, anonymous creates with"
    if [[ $MODE == interleaved ]]; then
        echo "idempotency keys, ${MEASURED} s measured (${#SIDES[@]} APIs in turns: $(( MEASURED / ${#SIDES[@]} )) s of slots each) after 12 s of interleaved warm-up (and ${WARMUP_SECONDS} s of unmeasured load per API first)."
    else
        echo "idempotency keys, $ROUNDS slices of ${SLICE_SECONDS} s per side after a 1 s warm-up each (and ${WARMUP_SECONDS} s of unmeasured load per API first)."
    fi
    echo "The test server's JVM: \`$TEMPORAL_JAVA_OPTS\` (a concurrent collector: it holds every started workflow in memory, and the"
    echo "serial collector's pauses, growing with that heap to seconds, stalled whichever slice they fell in)."
    gc_env='none (the runtime defaults, as the images and compose run the API)'
    [[ -n $API_GC_ENV ]] && gc_env="\`$API_GC_ENV\`"
    echo "The APIs' GC environment: $gc_env."
    echo "CPU and allocation per request by signal: \`deploy/bench/telemetry-cpu.sh\` (figures in deploy/bench/NOTES.md)."
    [[ -n ${BENCH_TELEMETRY_ENV:-} ]] && echo "On side's extra settings (BENCH_TELEMETRY_ENV): \`$BENCH_TELEMETRY_ENV\`."
    echo
    echo "| measurement | telemetry off | telemetry on | on / off | target | met |"
    echo "|---|---:|---:|---:|---|---|"
    if [[ $MODE == interleaved ]]; then
        lat() { jq -r ".latency[$1].$2" "$f"; }
        echo "| create throughput, $CLIENTS clients, req/s (over each API's own slots) | $OFF_TPS | $ON_TPS | $RATIO | ≥ 0.95 | |"
        echo "| median over on's slots of on / the off slots either side (quartiles $(j '.slotRatioP25[1]')–$(j '.slotRatioP75[1]')) | | | $PAIR_MEDIAN | ≥ 0.95 | |"
        echo "| **both ratios ≥ 0.95** | | | | | $MET |"
        echo "| the method's error: off2 / off, two identical telemetry-off APIs (req/s $OFF2_TPS; median of slots $NULL_MEDIAN) | | | $NULL_RATIO | 1 | |"
        echo "| latency p50, ms | $(lat 0 p50) | $(lat 1 p50) | | | |"
        echo "| latency p99, ms | $(lat 0 p99) | $(lat 1 p99) | | | |"
        echo
        echo "telemetry_on_vs_off_create_c32: $RATIO"
        echo "telemetry_on_vs_off_create_c32_median_of_slots: $PAIR_MEDIAN"
        echo "telemetry_off2_vs_off_create_c32: $NULL_RATIO"
    else
        echo "| create throughput, $CLIENTS clients, req/s (mean of $ROUNDS slices) | $OFF_TPS | $ON_TPS | $RATIO | ≥ 0.95 | |"
        echo "| median of the rounds' paired on/off ratios | | | $PAIR_MEDIAN | ≥ 0.95 | |"
        echo "| **both ratios ≥ 0.95** | | | | | $MET |"
        echo "| latency p50, ms (median of slices) | $(median $(col P50 off)) | $(median $(col P50 on)) | | | |"
        echo "| latency p99, ms (median of slices) | $(median $(col P99 off)) | $(median $(col P99 on)) | | | |"
        echo "| each round, on/off req/s | $PAIRS | | | | |"
        echo
        echo "telemetry_on_vs_off_create_c32: $RATIO"
        echo "telemetry_on_vs_off_create_c32_median_of_rounds: $PAIR_MEDIAN"
    fi
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
