#!/usr/bin/env bash
# What OpenTelemetry costs the create path (issue 19): two APIs over one throwaway PostgreSQL and one
# Temporal test server — one with nothing configured (telemetry off), one with traces, metrics and
# logs exported by OTLP/HTTP to `opsdesk-bench otlp-sink` (a receiver that reads and drops them) and
# /metrics on — loaded in turns by `opsdesk-bench create` at 32 clients (slices off/on, on/off, …, so
# drift on a shared machine falls on both alike). Triage:StartOnCreate=true: each create also starts its
# workflow (with the Temporal client span and header); no worker polls that queue. Writes its section
# into deploy/bench/RESULTS.md (between the telemetry markers; run.sh keeps it).
#
#   deploy/bench/telemetry.sh                 # 6 rounds of 10 s slices (about 4 minutes)
#   BENCH_ROUNDS=2 BENCH_SLICE_SECONDS=3 deploy/bench/telemetry.sh   # smoke run
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
BENCH=$REPO/deploy/bench
OUT=$BENCH/out
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
ROUNDS=${BENCH_ROUNDS:-6}
SLICE_SECONDS=${BENCH_SLICE_SECONDS:-10}
CLIENTS=32
PGBIN=${OPSDESK_PG_BIN:-/usr/lib/postgresql/15/bin}
TEMPORAL_RUN=${OPSDESK_BENCH_TEMPORAL_RUN:-$REPO/../shared/temporal-test-server/run}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in dotnet jq curl psql awk; do command -v "$tool" >/dev/null || { echo "telemetry.sh: $tool is required" >&2; exit 1; }; done
[[ -x $PGBIN/initdb ]] || { echo "telemetry.sh: PostgreSQL binaries not found in $PGBIN" >&2; exit 1; }
[[ -x $TEMPORAL_RUN ]] || { echo "telemetry.sh: Temporal test server not found at $TEMPORAL_RUN (OPSDESK_BENCH_TEMPORAL_RUN)" >&2; exit 1; }

STARTED=$(date +%s)
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d /tmp/opsdesk-otel-bench-XXXXXX)
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
    echo "telemetry.sh: no free port found" >&2; exit 1
}
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [[ -n $PG_STARTED ]]; then as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$TMP"
    [[ $status -ne 0 ]] && echo "telemetry.sh: failed (exit $status); logs in $OUT" >&2
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_ready() {  # wait_ready URL PID
    for _ in $(seq 1 150); do
        curl -fsS "$1/health/ready" >/dev/null 2>&1 && return
        kill -0 "$2" 2>/dev/null || { echo "telemetry.sh: process $2 died" >&2; exit 1; }
        sleep 0.2
    done
    echo "telemetry.sh: $1 did not become ready" >&2; exit 1
}

log "building (Release)"
dotnet build "$BENCH/OpsDesk.Bench/OpsDesk.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >"$OUT/telemetry_build.log" 2>&1 \
    || { cat "$OUT/telemetry_build.log" >&2; exit 1; }
API_DLL=$REPO/OpsDesk.Api/bin/Release/net10.0/OpsDesk.Api.dll
CLI_DLL=$REPO/OpsDesk.Worker/bin/Release/net10.0/opsdesk.dll
BENCH_DLL=$BENCH/OpsDesk.Bench/bin/Release/net10.0/opsdesk-bench.dll
lean() { DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$@"; }

PGPORT=$(free_port)
mkdir -p "$TMP/data"
[[ $(id -u) -eq 0 ]] && chown -R postgres "$TMP"
log "PostgreSQL on 127.0.0.1:$PGPORT"
as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$OUT/telemetry_initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -w -t 60 start -o \
    "-p $PGPORT -k $TMP -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB -c max_wal_size=8GB -c synchronous_commit=off" >/dev/null
PG_STARTED=1
PGHOST=127.0.0.1 PGPORT=$PGPORT PGUSER=postgres psql -qAt -d postgres -c "CREATE DATABASE opsdesk" >/dev/null
CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=opsdesk"
lean "$CLI_DLL" migrate --connection-string "$CS" >"$OUT/telemetry_migrate.log"

TEMPORAL_PORT=$(free_port)
JAVA_OPTS="-XX:TieredStopAtLevel=4" "$TEMPORAL_RUN" "$TEMPORAL_PORT" >"$OUT/telemetry_temporal.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$TEMPORAL_PORT") 2>/dev/null && break; sleep 0.2; done
SINK_PORT=$(free_port)
# exec: the background job is the sink itself, so stopping it by pid stops the process (not a subshell).
DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$BENCH_DLL" otlp-sink --port "$SINK_PORT" >"$OUT/telemetry_sink.log" 2>&1 &
PIDS+=($!)
log "Temporal test server on $TEMPORAL_PORT, OTLP sink on $SINK_PORT"

declare -A URL
start_api() {  # start_api off|on [env...]
    local name=$1; shift
    local port; port=$(free_port)
    URL[$name]=http://127.0.0.1:$port
    env "$@" DOTNET_GCgen0size=0x400000 ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="${URL[$name]}" \
        ConnectionStrings__OpsDesk="$CS;No Reset On Close=true;Maximum Pool Size=4" Database__MigrateOnStart=false \
        Temporal__Address="127.0.0.1:$TEMPORAL_PORT" Temporal__TaskQueue=bench-create Triage__StartOnCreate=true \
        RateLimits__AnonymousCreatePermitLimit=1000000 RateLimits__PerClientPermitLimit=10000000 \
        Logging__LogLevel__Default=Warning dotnet "$API_DLL" >>"$OUT/telemetry_api_$name.log" 2>&1 &
    PIDS+=($!)
    wait_ready "${URL[$name]}" "$!"
    log "API telemetry $name at ${URL[$name]}"
}
start_api off
# BENCH_TELEMETRY_ENV adds to (or overrides) the on side's settings, e.g. OTEL_METRICS_EXPORTER=none to price traces alone.
# shellcheck disable=SC2086
start_api on OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
    OTEL_METRICS_EXPORTER=otlp,prometheus ${BENCH_TELEMETRY_ENV:-}

log "warming up both (unmeasured)"
for name in off on; do lean "$BENCH_DLL" create --url "${URL[$name]}" --concurrency 8 --duration 3s --output json >/dev/null; done

declare -A TPS P50 P99
slice() {  # slice off|on ROUND
    local f=$OUT/telemetry_$1_r$2.json
    lean "$BENCH_DLL" create --url "${URL[$1]}" --concurrency "$CLIENTS" --duration "${SLICE_SECONDS}s" --warmup 1s --output json >"$f" 2>>"$OUT/telemetry_load.err"
    TPS[$1.$2]=$(jq -r '.throughput' "$f") P50[$1.$2]=$(jq -r '.latency.p50' "$f") P99[$1.$2]=$(jq -r '.latency.p99' "$f")
    [[ $(jq -r '.failed' "$f") == 0 ]] || { echo "telemetry.sh: failed requests in $f" >&2; exit 1; }
}
for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then order=(off on); else order=(on off); fi
    for name in "${order[@]}"; do
        log "round $r/$ROUNDS: telemetry $name, $CLIENTS clients, ${SLICE_SECONDS}s"
        slice "$name" "$r"
    done
done

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.1f", s / NR }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { local -n m=$1; local name=$2; for r in $(seq 1 "$ROUNDS"); do echo "${m[$name.$r]}"; done; }
OFF_TPS=$(mean $(col TPS off)) ON_TPS=$(mean $(col TPS on))
RATIO=$(awk -v a="$ON_TPS" -v b="$OFF_TPS" 'BEGIN { printf "%.3f", a / b }')
MET=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.95) ? "yes" : "**no**" }')
PAIRS=$(for r in $(seq 1 "$ROUNDS"); do printf '%s/%s ' "${TPS[on.$r]%.*}" "${TPS[off.$r]%.*}"; done)
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
PIDS=()
SINK_SUMMARY=$(grep -o 'otlp-sink: .*' "$OUT/telemetry_sink.log" || echo "otlp-sink: (no summary)")

{
    echo "<!-- telemetry:begin (written by deploy/bench/telemetry.sh; run.sh keeps this block) -->"
    echo "## Telemetry on vs off (issue 19)"
    echo
    echo "Written by \`deploy/bench/telemetry.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC (commit $(git rev-parse --short HEAD)), load average at start $LOADAVG_START."
    echo "The load generator, both APIs, PostgreSQL and Temporal share 2 cores, so absolute figures move between runs;"
    echo "the slices alternate (off/on, on/off, …) so that drift falls on both sides alike. Compare the ratio, not the figures."
    echo
    echo "Two Release APIs over one PostgreSQL (synchronous_commit=off) and one Temporal test server (real time),"
    echo "\`Triage:StartOnCreate=true\` (every create also starts its workflow, queue not polled). *Off*: no \`OTEL_*\`."
    echo "*On*: traces (ASP.NET Core, Npgsql, HttpClient, OpsDesk, Temporal client span and header, sampler always on),"
    echo "metrics and logs exported by OTLP/HTTP protobuf (the SDK's default intervals, as compose: metrics every 60 s, spans in batches of 512) to \`opsdesk-bench otlp-sink\` on the same machine"
    echo "($SINK_SUMMARY), and \`/metrics\` served. Load: \`opsdesk-bench create\`, $CLIENTS clients, anonymous creates with"
    echo "idempotency keys, $ROUNDS slices of ${SLICE_SECONDS} s per side after a 1 s warm-up each."
    [[ -n ${BENCH_TELEMETRY_ENV:-} ]] && echo "On side's extra settings (BENCH_TELEMETRY_ENV): \`$BENCH_TELEMETRY_ENV\`."
    echo
    echo "| measurement | telemetry off | telemetry on | on / off | target | met |"
    echo "|---|---:|---:|---:|---|---|"
    echo "| create throughput, $CLIENTS clients, req/s (mean of $ROUNDS slices) | $OFF_TPS | $ON_TPS | $RATIO | ≥ 0.95 | $MET |"
    echo "| latency p50, ms (median of slices) | $(median $(col P50 off)) | $(median $(col P50 on)) | | | |"
    echo "| latency p99, ms (median of slices) | $(median $(col P99 off)) | $(median $(col P99 on)) | | | |"
    echo "| each round, on/off req/s | $PAIRS | | | | |"
    echo
    echo "telemetry_on_vs_off_create_c32: $RATIO"
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
