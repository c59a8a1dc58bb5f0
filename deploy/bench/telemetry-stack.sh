# shellcheck shell=bash
# The stack both telemetry benchmarks (telemetry.sh, telemetry-cpu.sh) load: sourced by them, not run.
# Builds Release (unless BENCH_NO_BUILD is set), starts one throwaway PostgreSQL (migrated), one Temporal
# test server and `opsdesk-bench otlp-sink`, and defines start_api. The caller sets NAME (its log prefix)
# and `set -euo pipefail`; everything it starts is stopped on exit.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$(pwd)
BENCH=$REPO/deploy/bench
OUT=$BENCH/out
PGBIN=${OPSDESK_PG_BIN:-/usr/lib/postgresql/15/bin}
TEMPORAL_RUN=${OPSDESK_BENCH_TEMPORAL_RUN:-$REPO/../shared/temporal-test-server/run}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in dotnet jq curl psql awk; do command -v "$tool" >/dev/null || { echo "$NAME: $tool is required" >&2; exit 1; }; done
[[ -x $PGBIN/initdb ]] || { echo "$NAME: PostgreSQL binaries not found in $PGBIN" >&2; exit 1; }
[[ -x $TEMPORAL_RUN ]] || { echo "$NAME: Temporal test server not found at $TEMPORAL_RUN (OPSDESK_BENCH_TEMPORAL_RUN)" >&2; exit 1; }

STARTED=$(date +%s)
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d "/tmp/opsdesk-$NAME-XXXXXX")
mkdir -p "$OUT"
chmod 755 "$TMP"
PIDS=()
PG_STARTED=""
log() { printf '[%4ds] %s\n' $(( $(date +%s) - STARTED )) "$*" >&2; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "$NAME: no free port found" >&2; exit 1
}
stop_all() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
cleanup() {
    local status=$?
    stop_all
    if [[ -n $PG_STARTED ]]; then as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$TMP"
    [[ $status -ne 0 ]] && echo "$NAME: failed (exit $status); logs in $OUT" >&2
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_ready() {  # wait_ready URL PID
    for _ in $(seq 1 150); do
        curl -fsS "$1/health/ready" >/dev/null 2>&1 && return
        kill -0 "$2" 2>/dev/null || { echo "$NAME: process $2 died" >&2; exit 1; }
        sleep 0.2
    done
    echo "$NAME: $1 did not become ready" >&2; exit 1
}

if [[ -z ${BENCH_NO_BUILD:-} ]]; then
    log "building (Release)"
    dotnet build "$BENCH/OpsDesk.Bench/OpsDesk.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >"$OUT/${NAME}_build.log" 2>&1 \
        || { cat "$OUT/${NAME}_build.log" >&2; exit 1; }
fi
API_DLL=$REPO/OpsDesk.Api/bin/Release/net10.0/OpsDesk.Api.dll
CLI_DLL=$REPO/OpsDesk.Worker/bin/Release/net10.0/opsdesk.dll
BENCH_DLL=$BENCH/OpsDesk.Bench/bin/Release/net10.0/opsdesk-bench.dll
lean() { DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$@"; }

PGPORT=$(free_port)
mkdir -p "$TMP/data"
[[ $(id -u) -eq 0 ]] && chown -R postgres "$TMP"
log "PostgreSQL on 127.0.0.1:$PGPORT"
as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$OUT/${NAME}_initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -w -t 60 start -o \
    "-p $PGPORT -k $TMP -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB -c max_wal_size=8GB -c synchronous_commit=off ${BENCH_PG_EXTRA:-}" >/dev/null
PG_STARTED=1
PGHOST=127.0.0.1 PGPORT=$PGPORT PGUSER=postgres psql -qAt -d postgres -c "CREATE DATABASE opsdesk" >/dev/null
CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=opsdesk"
lean "$CLI_DLL" migrate --connection-string "$CS" >"$OUT/${NAME}_migrate.log"

TEMPORAL_PORT=$(free_port)
# The test server keeps every workflow it starts in its JVM heap (each create starts one; nothing polls them), so
# the live heap grows ~9 MB/s for the whole run. Under the run script's serial collector the stop-the-world
# pauses grew with it (0.5 s full GC at 37 s, 2.6 s at 100 s in a GC log) and stalled whichever side's slice they
# fell in; a concurrent collector on a fixed heap pauses < 1 ms. (A real Temporal keeps that state in its database.)
TEMPORAL_JAVA_OPTS=${BENCH_TEMPORAL_JAVA_OPTS:--XX:-UseSerialGC -XX:+UseShenandoahGC -Xms8g -Xmx8g}
JAVA_OPTS="-XX:TieredStopAtLevel=4 $TEMPORAL_JAVA_OPTS" "$TEMPORAL_RUN" "$TEMPORAL_PORT" >"$OUT/${NAME}_temporal.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$TEMPORAL_PORT") 2>/dev/null && break; sleep 0.2; done
SINK_PORT=$(free_port)
# exec: the background job is the sink itself, so stopping it by pid stops the process (not a subshell).
DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$BENCH_DLL" otlp-sink --port "$SINK_PORT" >"$OUT/${NAME}_sink.log" 2>&1 &
SINK_PID=$!
PIDS+=($SINK_PID)
log "Temporal test server on $TEMPORAL_PORT, OTLP sink on $SINK_PORT"

# Telemetry on as production has it (compose): traces, metrics and logs by OTLP at the SDK's default
# intervals (metrics every 60 s, spans in batches of 512), and /metrics.
TELEMETRY_ON=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRICS_EXPORTER=otlp,prometheus)

# Unmeasured load before the slices: the tiered JIT recompiles hot code for a while after start (a 3 s
# warm-up left a quarter of the API's CPU in the JIT during the first slices), and the on side has more
# code to compile, so a short warm-up charges telemetry for compiling it.
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-15}
warm_up() {  # warm_up NAME
    lean "$BENCH_DLL" create --url "${URL[$1]}" --concurrency 32 --duration "${WARMUP_SECONDS}s" --output json >/dev/null
}

# The API's GC settings (both sides): BENCH_API_GC_ENV, by default none, as the images and compose run it.
API_GC_ENV=${BENCH_API_GC_ENV-}
declare -A URL PID
start_api() {  # start_api NAME DLL [env...]: an API on a free port, ready (URL[NAME], PID[NAME])
    local name=$1 dll=$2; shift 2
    local port; port=$(free_port)
    URL[$name]=http://127.0.0.1:$port
    # shellcheck disable=SC2086
    env $API_GC_ENV "$@" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="${URL[$name]}" \
        ConnectionStrings__OpsDesk="$CS;No Reset On Close=true;Maximum Pool Size=4" Database__MigrateOnStart=false \
        Temporal__Address="127.0.0.1:$TEMPORAL_PORT" Temporal__TaskQueue=bench-create Triage__StartOnCreate=true \
        RateLimits__AnonymousCreatePermitLimit=1000000 RateLimits__PerClientPermitLimit=10000000 \
        Logging__LogLevel__Default=Warning dotnet "$dll" >>"$OUT/${NAME}_api_$name.log" 2>&1 &
    PID[$name]=$!
    PIDS+=($!)
    wait_ready "${URL[$name]}" "$!"
    log "API $name at ${URL[$name]} (pid ${PID[$name]})"
}
