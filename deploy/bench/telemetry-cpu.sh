#!/usr/bin/env bash
# What OpenTelemetry costs the create path in CPU (issue 19), a figure a shared machine does not blur
# the way throughput is blurred: one API per configuration (off, on, and each signal alone) over one
# throwaway PostgreSQL and one Temporal test server, loaded in turns by `opsdesk-bench create` at 32
# clients; for each slice, the API's CPU seconds (utime+stime from /proc/PID/stat) per 1000 requests,
# and the OTLP sink's. Same settings as telemetry.sh's "on" side.
#
#   deploy/bench/telemetry-cpu.sh                          # all configurations, 2 rounds of 10 s
#   BENCH_CONFIGS="off on" BENCH_ROUNDS=3 deploy/bench/telemetry-cpu.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
BENCH=$REPO/deploy/bench
OUT=$BENCH/out
ROUNDS=${BENCH_ROUNDS:-2}
SLICE_SECONDS=${BENCH_SLICE_SECONDS:-10}
CONFIGS=(${BENCH_CONFIGS:-off on traces metrics logs sdkmetrics})
CLIENTS=32
# BENCH_RATE=N: open loop at N req/s instead of 32 closed-loop clients — every configuration then does the
# same work in the same time, so CPU per request is not skewed by how saturated each slice was.
if [[ -n ${BENCH_RATE:-} ]]; then LOAD=(--rate "$BENCH_RATE" --max-in-flight 64); else LOAD=(--concurrency "$CLIENTS"); fi
PGBIN=${OPSDESK_PG_BIN:-/usr/lib/postgresql/15/bin}
TEMPORAL_RUN=${OPSDESK_BENCH_TEMPORAL_RUN:-$REPO/../shared/temporal-test-server/run}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STARTED=$(date +%s)
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d /tmp/opsdesk-otel-cpu-XXXXXX)
mkdir -p "$OUT"
chmod 755 "$TMP"
PIDS=()
PG_STARTED=""
TICKS=$(getconf CLK_TCK)
log() { printf '[%4ds] %s\n' $(( $(date +%s) - STARTED )) "$*" >&2; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "telemetry-cpu.sh: no free port found" >&2; exit 1
}
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [[ -n $PG_STARTED ]]; then as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$TMP"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wait_ready() {
    for _ in $(seq 1 150); do
        curl -fsS "$1/health/ready" >/dev/null 2>&1 && return
        kill -0 "$2" 2>/dev/null || { echo "telemetry-cpu.sh: process $2 died" >&2; exit 1; }
        sleep 0.2
    done
    echo "telemetry-cpu.sh: $1 did not become ready" >&2; exit 1
}

if [[ -z ${BENCH_NO_BUILD:-} ]]; then
    log "building (Release)"
    dotnet build "$BENCH/OpsDesk.Bench/OpsDesk.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >"$OUT/telemetry_cpu_build.log" 2>&1 \
        || { cat "$OUT/telemetry_cpu_build.log" >&2; exit 1; }
fi
API_DLL=$REPO/OpsDesk.Api/bin/Release/net10.0/OpsDesk.Api.dll
CLI_DLL=$REPO/OpsDesk.Worker/bin/Release/net10.0/opsdesk.dll
BENCH_DLL=$BENCH/OpsDesk.Bench/bin/Release/net10.0/opsdesk-bench.dll
lean() { DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$@"; }

PGPORT=$(free_port)
mkdir -p "$TMP/data"
[[ $(id -u) -eq 0 ]] && chown -R postgres "$TMP"
as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$OUT/telemetry_cpu_initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -w -t 60 start -o \
    "-p $PGPORT -k $TMP -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB -c max_wal_size=8GB -c synchronous_commit=off" >/dev/null
PG_STARTED=1
PGHOST=127.0.0.1 PGPORT=$PGPORT PGUSER=postgres psql -qAt -d postgres -c "CREATE DATABASE opsdesk" >/dev/null
CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=opsdesk"
lean "$CLI_DLL" migrate --connection-string "$CS" >"$OUT/telemetry_cpu_migrate.log"

TEMPORAL_PORT=$(free_port)
JAVA_OPTS="-XX:TieredStopAtLevel=4" "$TEMPORAL_RUN" "$TEMPORAL_PORT" >"$OUT/telemetry_cpu_temporal.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$TEMPORAL_PORT") 2>/dev/null && break; sleep 0.2; done
SINK_PORT=$(free_port)
DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$BENCH_DLL" otlp-sink --port "$SINK_PORT" >"$OUT/telemetry_cpu_sink.log" 2>&1 &
SINK_PID=$!
PIDS+=($SINK_PID)

ON=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRICS_EXPORTER=otlp,prometheus)
settings() {
    case ${1%@*} in
        off) ;;
        on) echo "${ON[@]}" ;;
        traces) echo "${ON[@]} OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none" ;;
        metrics) echo "${ON[@]} OTEL_TRACES_EXPORTER=none OTEL_LOGS_EXPORTER=none Telemetry__TemporalSdkMetrics=false" ;;
        sdkmetrics) echo "${ON[@]} OTEL_TRACES_EXPORTER=none OTEL_LOGS_EXPORTER=none" ;;
        logs) echo "${ON[@]} OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none" ;;
        *) echo "telemetry-cpu.sh: unknown configuration $1" >&2; exit 1 ;;
    esac
}
declare -A URL PID
for name in "${CONFIGS[@]}"; do
    port=$(free_port)
    URL[$name]=http://127.0.0.1:$port
    # shellcheck disable=SC2046
    dll=$API_DLL
    [[ $name == *@before ]] && dll=${BENCH_BEFORE_API_DLL:?name@before needs BENCH_BEFORE_API_DLL}
    env $(settings "$name") ${BENCH_TELEMETRY_ENV:-} DOTNET_GCgen0size=0x400000 ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="${URL[$name]}" \
        ConnectionStrings__OpsDesk="$CS;No Reset On Close=true;Maximum Pool Size=4" Database__MigrateOnStart=false \
        Temporal__Address="127.0.0.1:$TEMPORAL_PORT" Temporal__TaskQueue=bench-create Triage__StartOnCreate=true \
        RateLimits__AnonymousCreatePermitLimit=1000000 RateLimits__PerClientPermitLimit=10000000 \
        Logging__LogLevel__Default=Warning dotnet "$dll" >"$OUT/telemetry_cpu_api_$name.log" 2>&1 &
    PID[$name]=$!
    PIDS+=($!)
    wait_ready "${URL[$name]}" "$!"
    lean "$BENCH_DLL" create --url "${URL[$name]}" --concurrency 8 --duration 3s --output json >/dev/null
    log "API $name at ${URL[$name]} (pid $!)"
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
for r in $(seq 1 "$ROUNDS"); do
    for name in "${CONFIGS[@]}"; do
        f=$OUT/telemetry_cpu_${name}_r$r.json
        a0=$(cpu_ticks "${PID[$name]}") s0=$(cpu_ticks "$SINK_PID")
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
        CPU[$name]=$(( ${CPU[$name]:-0} + a1 - a0 )) SINK[$name]=$(( ${SINK[$name]:-0} + s1 - s0 )) REQ[$name]=$(( ${REQ[$name]:-0} + n ))
        log "round $r $name: $n requests ($(jq -r .throughput "$f" | cut -d. -f1) req/s), API $(( a1 - a0 )) ticks, sink $(( s1 - s0 )) ticks"
    done
done

echo "load average at start $LOADAVG_START, now $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS x ${SLICE_SECONDS}s per configuration, ${LOAD[*]}"
echo "| configuration | requests | API CPU s / 1000 req | vs off | sink CPU s / 1000 req | KB allocated / req |"
echo "|---|---:|---:|---:|---:|---:|"
OFF=""
for name in "${CONFIGS[@]}"; do
    per=$(awk -v t="${CPU[$name]}" -v n="${REQ[$name]}" -v hz="$TICKS" 'BEGIN { printf "%.3f", t / hz / n * 1000 }')
    sink=$(awk -v t="${SINK[$name]}" -v n="${REQ[$name]}" -v hz="$TICKS" 'BEGIN { printf "%.3f", t / hz / n * 1000 }')
    [[ $name == off* && -z $OFF ]] && OFF=$per
    vs=$([[ -n $OFF ]] && awk -v a="$per" -v b="$OFF" 'BEGIN { printf "%+.1f %%", (a / b - 1) * 100 }' || echo "")
    echo "| $name | ${REQ[$name]} | $per | $vs | $sink | ${ALLOC[$name]:-} |"
done
