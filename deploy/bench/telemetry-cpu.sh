#!/usr/bin/env bash
# What OpenTelemetry costs the create path in CPU and allocation (issue 19) — figures a shared machine
# blurs less than throughput: one API per configuration over one throwaway PostgreSQL, one Temporal test
# server and one OTLP sink (telemetry-stack.sh, as telemetry.sh), loaded in turns by `opsdesk-bench create`;
# per configuration the API's CPU seconds (utime+stime, /proc/PID/stat) per 1000 requests and the sink's.
# Configurations: off; on (as telemetry.sh's on side: traces, metrics, logs, /metrics); traces, metrics
# (without the Temporal SDK's), logs — each alone; sdkmetrics (metrics with the Temporal SDK's: its cost is
# sdkmetrics − metrics); any other NAME: the on side's settings plus BENCH_CONFIG_NAME's. NAME@before runs NAME on
# the build BENCH_BEFORE_API_DLL names. Each round starts one configuration later than the one before.
#
#   deploy/bench/telemetry-cpu.sh                                   # all, 2 rounds of 10 s at 32 clients
#   BENCH_RATE=700 BENCH_ROUNDS=3 BENCH_CONFIGS="off on" deploy/bench/telemetry-cpu.sh   # open loop
#   BENCH_CONFIGS="off on prom" BENCH_CONFIG_prom=OTEL_METRICS_EXPORTER=prometheus deploy/bench/telemetry-cpu.sh
#   BENCH_ALLOC=1 …   # first a round with dotnet-counters attached: KB allocated per request
#   BENCH_PERF=1 …    # perf record of round 1 (deploy/bench/out/telemetry_cpu_NAME.perf)
#   BENCH_PROFILE=1 … # dotnet-trace of round 1 (thread time and allocation samples)
# dotnet-counters and dotnet-trace: `dotnet tool install -g dotnet-counters` (and dotnet-trace).
set -euo pipefail
NAME=telemetry_cpu
# shellcheck source=deploy/bench/telemetry-stack.sh
source "$(dirname "$0")/telemetry-stack.sh"
ROUNDS=${BENCH_ROUNDS:-2}
SLICE_SECONDS=${BENCH_SLICE_SECONDS:-10}
# shellcheck disable=SC2206
CONFIGS=(${BENCH_CONFIGS:-off on traces metrics logs sdkmetrics})
CLIENTS=32
# BENCH_RATE=N: open loop at N req/s instead of 32 closed-loop clients — every configuration then does the
# same work in the same time, so CPU per request is not skewed by how saturated each slice was.
if [[ -n ${BENCH_RATE:-} ]]; then LOAD=(--rate "$BENCH_RATE" --max-in-flight 64); else LOAD=(--concurrency "$CLIENTS"); fi
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

settings() {  # the on side's settings, less what a configuration leaves out
    case ${1%@*} in
        off) ;;
        on) echo "${TELEMETRY_ON[@]}" ;;
        traces) echo "${TELEMETRY_ON[@]} OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none" ;;
        metrics) echo "${TELEMETRY_ON[@]} OTEL_TRACES_EXPORTER=none OTEL_LOGS_EXPORTER=none Telemetry__TemporalSdkMetrics=false" ;;
        sdkmetrics) echo "${TELEMETRY_ON[@]} OTEL_TRACES_EXPORTER=none OTEL_LOGS_EXPORTER=none" ;;
        logs) echo "${TELEMETRY_ON[@]} OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none" ;;
        *)  # any other NAME: the on side's settings plus BENCH_CONFIG_NAME's (e.g. BENCH_CONFIG_prom=OTEL_METRICS_EXPORTER=prometheus)
            local own="BENCH_CONFIG_${1%@*}"
            [[ -n ${!own:-} ]] || { echo "telemetry-cpu.sh: unknown configuration $1 (no $own)" >&2; exit 1; }
            echo "${TELEMETRY_ON[@]} ${!own}" ;;
    esac
}
for name in "${CONFIGS[@]}"; do
    dll=$API_DLL
    # NAME@before: the same configuration on another build (BENCH_BEFORE_API_DLL), for before/after in one run.
    [[ $name == *@before ]] && dll=${BENCH_BEFORE_API_DLL:?name@before needs BENCH_BEFORE_API_DLL}
    # shellcheck disable=SC2046,SC2086
    # perf: the JIT's code named in /tmp/perf-PID.map, and not double-mapped (W^X hides it from perf).
    start_api "$name" "$dll" $(settings "$name") ${BENCH_TELEMETRY_ENV:-} ${BENCH_PERF:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0}
    warm_up "$name"
done

declare -A CPU REQ SINK ALLOC
# BENCH_ALLOC=1: first an unmeasured round per configuration with dotnet-counters attached (bytes
# allocated per request, from the runtime's dotnet.gc.heap.total_allocated); CPU rounds follow without it.
if [[ -n ${BENCH_ALLOC:-} ]]; then
    for name in "${CONFIGS[@]}"; do
        f=$OUT/telemetry_cpu_${name}_alloc.json
        ~/.dotnet/tools/dotnet-counters collect -p "${PID[$name]}" --counters 'System.Runtime[dotnet.gc.heap.total_allocated]' \
            --refresh-interval 1 --format csv -o "$OUT/telemetry_cpu_${name}_alloc.csv" --duration 00:00:00:$(( SLICE_SECONDS + 3 )) >/dev/null 2>&1 &
        counters=$!
        sleep 2
        lean "$BENCH_DLL" create --url "${URL[$name]}" "${LOAD[@]}" --duration "${SLICE_SECONDS}s" --warmup 0s --output json >"$f" 2>>"$OUT/telemetry_cpu_load.err"
        wait "$counters" || true
        n=$(jq -r '.requests + .warmupRequests' "$f")
        # Counter rows are per-interval rates (bytes per second over 1 s): their sum is the total.
        bytes=$(awk -F, 'NR > 1 && /total_allocated/ { s += $NF } END { printf "%.0f", s }' "$OUT/telemetry_cpu_${name}_alloc.csv")
        ALLOC[$name]=$(awk -v b="$bytes" -v n="$n" 'BEGIN { printf "%.1f", b / n / 1024 }')
        log "alloc $name: $n requests, ${ALLOC[$name]} KB allocated per request"
    done
fi
declare -A TPS
for r in $(seq 1 "$ROUNDS"); do
    # Each round starts one configuration later, so none always runs first (or right after another).
    order=()
    for i in "${!CONFIGS[@]}"; do order+=("${CONFIGS[$(( (i + r - 1) % ${#CONFIGS[@]} ))]}"); done
    for name in "${order[@]}"; do
        f=$OUT/telemetry_cpu_${name}_r$r.json
        a0=$(cpu_ticks "${PID[$name]}") s0=$(cpu_ticks "$SINK_PID")
        # BENCH_PERF=1: perf samples of the API in round 1 (JIT frames named through DOTNET_PerfMapEnabled's map).
        if [[ -n ${BENCH_PERF:-} && $r == 1 ]]; then
            perf record -F 999 -g -p "${PID[$name]}" -o "$OUT/telemetry_cpu_$name.perf" -- sleep $(( SLICE_SECONDS - 1 )) >"$OUT/telemetry_cpu_perf_$name.log" 2>&1 &
            TRACE_PID=$!
        fi
        # BENCH_PROFILE=1: a CPU sampling trace of round 1 (its CPU figures then include the profiler).
        if [[ -n ${BENCH_PROFILE:-} && $r == 1 ]]; then
            ~/.dotnet/tools/dotnet-trace collect -p "${PID[$name]}" --profile dotnet-sampled-thread-time,gc-verbose --duration 00:00:00:$(( SLICE_SECONDS - 2 )) \
                -o "$OUT/telemetry_cpu_$name.nettrace" >"$OUT/telemetry_cpu_trace_$name.log" 2>&1 &
            TRACE_PID=$!
        fi
        lean "$BENCH_DLL" create --url "${URL[$name]}" "${LOAD[@]}" --duration "${SLICE_SECONDS}s" --warmup 0s --output json >"$f" 2>>"$OUT/telemetry_cpu_load.err"
        # Exports of this slice still in flight (batch delay 1 s) are counted to it.
        sleep 1.5
        [[ -n ${TRACE_PID:-} ]] && { wait "$TRACE_PID" || true; TRACE_PID=""; }
        a1=$(cpu_ticks "${PID[$name]}") s1=$(cpu_ticks "$SINK_PID")
        n=$(jq -r '.requests + .warmupRequests' "$f")
        TPS[$name.$r]=$(jq -r .throughput "$f")
        CPU[$name]=$(( ${CPU[$name]:-0} + a1 - a0 )) SINK[$name]=$(( ${SINK[$name]:-0} + s1 - s0 )) REQ[$name]=$(( ${REQ[$name]:-0} + n ))
        log "round $r $name: $n requests ($(jq -r .throughput "$f" | cut -d. -f1) req/s), API $(( a1 - a0 )) ticks, sink $(( s1 - s0 )) ticks"
    done
done

echo "load average at start $LOADAVG_START, now $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS x ${SLICE_SECONDS}s per configuration, ${LOAD[*]}"
echo "| configuration | requests | API CPU s / 1000 req | vs off | sink CPU s / 1000 req | KB allocated / req | req/s (mean) | median of rounds' req/s ÷ off's |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
OFF=""
for name in "${CONFIGS[@]}"; do
    per=$(awk -v t="${CPU[$name]}" -v n="${REQ[$name]}" -v hz="$TICKS" 'BEGIN { printf "%.3f", t / hz / n * 1000 }')
    sink=$(awk -v t="${SINK[$name]}" -v n="${REQ[$name]}" -v hz="$TICKS" 'BEGIN { printf "%.3f", t / hz / n * 1000 }')
    [[ $name == off* && -z $OFF ]] && OFF=$per
    vs=$([[ -n $OFF ]] && awk -v a="$per" -v b="$OFF" 'BEGIN { printf "%+.1f %%", (a / b - 1) * 100 }' || echo "")
    # Throughput: closed loop it is what each configuration reached; the ratio pairs it with off's in the same round.
    tps=$(for r in $(seq 1 "$ROUNDS"); do echo "${TPS[$name.$r]}"; done | awk '{ s += $1 } END { printf "%.0f", s / NR }')
    ratio=$(for r in $(seq 1 "$ROUNDS"); do awk -v a="${TPS[$name.$r]}" -v b="${TPS[${CONFIGS[0]}.$r]}" 'BEGIN { printf "%.4f\n", a / b }'; done \
        | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "| $name | ${REQ[$name]} | $per | $vs | $sink | ${ALLOC[$name]:-} | $tps | $ratio |"
done
