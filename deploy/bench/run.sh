#!/usr/bin/env bash
# OpsDesk benchmark, one command, one run: a throwaway PostgreSQL, pgbench baselines for the same SQL
# the API runs, the API (Release) under the load generator (`opsdesk-bench`, deploy/bench/OpsDesk.Bench),
# then one Markdown table written to
# deploy/bench/RESULTS.md. Everything it starts is stopped on exit.
#
#   deploy/bench/run.sh                    # full run (about 11 minutes on 2 cores)
#   BENCH_QUICK=1 deploy/bench/run.sh      # smoke run with tiny durations and data (about 2 minutes)
#
# Knobs (environment): BENCH_SLICE_SECONDS (8) and BENCH_ROUNDS (4) (create: pgbench and the API take
# turns, ROUNDS slices each per client count), BENCH_RATE_SECONDS (15), BENCH_RATE (1000),
# BENCH_READ_SECONDS (5), BENCH_READ_RATE (200), BENCH_SMALL (10000), BENCH_LARGE (1000000),
# BENCH_PG_DURABLE=1 (synchronous_commit=on), BENCH_RESULTS (output file), OPSDESK_PG_BIN,
# OPSDESK_BENCH_TEMPORAL_ADDRESS (a Temporal server to use; otherwise the shared test server's `run`
# is started in real time, from OPSDESK_BENCH_TEMPORAL_RUN or ../shared/temporal-test-server/run),
# BENCH_TRIAGE_COUNT (3000: tickets created and triaged end to end, and bare workflows beside them),
# BENCH_TEMPORAL_RATE (400: an open-loop create rate with every start on, for commit → started below saturation),
# BENCH_SKIP_READS=1 (create and Temporal figures only), BENCH_SKIP_CREATE=1 (no create slices: Temporal figures),
# BENCH_BASELINE=1 (the API without the tuning described in deploy/bench/NOTES.md, for before/after),
# BENCH_PAGE_RATE (50) and BENCH_PAGE_SECONDS (10): the console pages, signed in with a session cookie,
# at BENCH_LARGE tickets (part of the read phase).
#
#   BENCH_ONLY_PAGES=1 deploy/bench/run.sh  # the console page figures alone (seed, pages; about 4 minutes):
#                                           # rewrites only the pages section of RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
BENCH=$REPO/deploy/bench
SCRIPTS=$BENCH/pgbench
OUT=$BENCH/out
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [[ -n "${BENCH_QUICK:-}" ]]; then
    : "${BENCH_SLICE_SECONDS:=2}" "${BENCH_ROUNDS:=2}" "${BENCH_RATE_SECONDS:=3}" "${BENCH_READ_SECONDS:=2}" "${BENCH_SMALL:=2000}" "${BENCH_LARGE:=20000}"
fi
SLICE_SECONDS=${BENCH_SLICE_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-4}
CREATE_SECONDS=$(( SLICE_SECONDS * ROUNDS ))
RATE_SECONDS=${BENCH_RATE_SECONDS:-15}
RATE=${BENCH_RATE:-1000}
READ_SECONDS=${BENCH_READ_SECONDS:-5}
READ_RATE=${BENCH_READ_RATE:-200}
SMALL=${BENCH_SMALL:-10000}
LARGE=${BENCH_LARGE:-1000000}
CLIENTS=(1 8 32)
# A common word, a rarer one, and an order number (rare, and ANDed with the common word "order").
SEARCH_TERMS=(refund galaxy order-4242424)
PAGE_RATE=${BENCH_PAGE_RATE:-50}
PAGE_SECONDS=${BENCH_PAGE_SECONDS:-10}
ONLY_PAGES=${BENCH_ONLY_PAGES:-}
if [[ -n $ONLY_PAGES ]]; then BENCH_SKIP_CREATE=1; fi

PGBIN=${OPSDESK_PG_BIN:-/usr/lib/postgresql/15/bin}
[[ -x $PGBIN/initdb ]] || { echo "run.sh: PostgreSQL binaries not found in $PGBIN (apt-get install postgresql, or set OPSDESK_PG_BIN)" >&2; exit 1; }
for tool in dotnet jq curl pgbench psql awk; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 1; }
done

STARTED=$(date +%s)
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d /tmp/opsdesk-bench-XXXXXX)
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt "$OUT"/*.log "$OUT"/*.err
chmod 755 "$TMP"
PG_STARTED=""
API_PID=""
SAMPLER_PID=""
TEMPORAL_PID=""
WORKER_PID=""

log() { printf '[%4ds] %s\n' $(( $(date +%s) - STARTED )) "$*" >&2; }

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "run.sh: no free port found" >&2
    exit 1
}

stop_api() {
    if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; fi
    if [[ -n $API_PID ]]; then kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; API_PID=""; fi
}

cleanup() {
    local status=$?
    stop_api
    if [[ -n $WORKER_PID ]]; then kill "$WORKER_PID" 2>/dev/null || true; wait "$WORKER_PID" 2>/dev/null || true; fi
    if [[ -n $TEMPORAL_PID ]]; then kill -9 "$TEMPORAL_PID" 2>/dev/null || true; wait "$TEMPORAL_PID" 2>/dev/null || true; fi
    if [[ -n $PG_STARTED ]]; then as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$TMP"
    if [[ $status -ne 0 ]]; then echo "run.sh: failed (exit $status); logs in $OUT" >&2; fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------- build
log "building (Release)"
# The bench project references the worker, which references the API: one build makes all three.
dotnet build "$BENCH/OpsDesk.Bench/OpsDesk.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >"$OUT/build.log" 2>&1 \
    || { cat "$OUT/build.log" >&2; exit 1; }
API_DLL=$REPO/OpsDesk.Api/bin/Release/net10.0/OpsDesk.Api.dll
CLI_DLL=$REPO/OpsDesk.Worker/bin/Release/net10.0/opsdesk.dll
BENCH_DLL=$BENCH/OpsDesk.Bench/bin/Release/net10.0/opsdesk-bench.dll
# The CLI and the load generator share the cores with the API and PostgreSQL: keep them lean
# (workstation GC, no thread-pool spinning) so that they take as little CPU from them as they can.
lean() { DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$@"; }
opsdesk() { lean "$CLI_DLL" "$@"; }
bench() { lean "$BENCH_DLL" "$@"; }

# ------------------------------------------------------------------------------------------ postgres
PGPORT=$(free_port)
mkdir -p "$TMP/data" "$TMP/socket"
if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$TMP"; fi
log "starting PostgreSQL on 127.0.0.1:$PGPORT"
as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$OUT/initdb.log" 2>&1
DURABILITY="-c synchronous_commit=off"
[[ -n "${BENCH_PG_DURABLE:-}" ]] && DURABILITY="-c synchronous_commit=on"
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -w -t 60 start -o \
    "-p $PGPORT -k $TMP/socket -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB \
     -c max_wal_size=8GB -c checkpoint_timeout=30min -c autovacuum_naptime=10min $DURABILITY" >/dev/null
PG_STARTED=1
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres
psql -qAt -d postgres -c "CREATE DATABASE opsdesk" -c "CREATE DATABASE opsdesk_reads" >/dev/null
CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=opsdesk;Maximum Pool Size=100"
CS_READS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=opsdesk_reads;Maximum Pool Size=100"
# The API's recommended connection settings (README, "Recommended API settings"): no reset on return
# to the pool, a pool of about twice PostgreSQL's cores; not multiplexing (issue 14).
API_CS_EXTRA=${BENCH_API_CS_EXTRA-No Reset On Close=true;Maximum Pool Size=4}
API_GC_ENV=${BENCH_API_GC_ENV-DOTNET_GCgen0size=0x400000}
if [[ -n "${BENCH_BASELINE:-}" ]]; then
    # The API as it was before the tuning in deploy/bench/NOTES.md, for before/after figures.
    API_CS_EXTRA="Max Auto Prepare=0;Multiplexing=false"
    API_GC_ENV="DOTNET_gcServer=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70"
fi
log "migrating"
opsdesk migrate --connection-string "$CS" >"$OUT/migrate.log"
opsdesk migrate --connection-string "$CS_READS" >>"$OUT/migrate.log"
# The API requires a key for reads; creates go through a key too (anonymous create is rate limited per IP).
KEY_CREATE=$(opsdesk keys create --role agent --name bench --output json --connection-string "$CS" | jq -r .key)
KEY_READS_JSON=$(opsdesk keys create --role agent --name bench --output json --connection-string "$CS_READS")
KEY_READS=$(jq -r .key <<<"$KEY_READS_JSON")
# The reads key's agent: the seeder assigns tickets to it too, so assignee=me has a queue to page.
READS_AGENT=$(jq -r .agentId <<<"$KEY_READS_JSON")
if [[ -n "${BENCH_BASELINE:-}" ]]; then
    psql -qAt -d opsdesk_reads -c "ALTER TABLE tickets ALTER COLUMN search SET STATISTICS -1" >/dev/null
fi

# ------------------------------------------------------------------------------------------ temporal
# The default configuration starts each ticket's triage workflow (Triage:StartOnCreate=true), so the
# headline create figures need a Temporal server: the one given, or the shared test server in real time.
TEMPORAL_ADDRESS=${OPSDESK_BENCH_TEMPORAL_ADDRESS:-}
TEMPORAL_RUN=${OPSDESK_BENCH_TEMPORAL_RUN:-$REPO/../shared/temporal-test-server/run}
# The test server keeps every workflow in memory: each phase gets a fresh one, so none measures the
# heap the phase before it left. It runs with the JVM's full JIT (its `run` favours a fast start).
start_temporal() {
    if [[ -n $TEMPORAL_PID ]]; then kill -9 "$TEMPORAL_PID" 2>/dev/null || true; wait "$TEMPORAL_PID" 2>/dev/null || true; fi
    JAVA_OPTS="${BENCH_TEMPORAL_JAVA_OPTS:--XX:TieredStopAtLevel=4}" "$TEMPORAL_RUN" "$TEMPORAL_PORT" >>"$OUT/temporal.log" 2>&1 &
    TEMPORAL_PID=$!
    for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$TEMPORAL_PORT") 2>/dev/null && break; sleep 0.2; done
}
restart_temporal() { if [[ -n $TEMPORAL_PID ]]; then start_temporal; fi; }
# CPU seconds a process has used so far (user + system), for the test server's share of the work.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
if [[ -n $ONLY_PAGES ]]; then
    TEMPORAL_KIND="not used (BENCH_ONLY_PAGES)"
elif [[ -z $TEMPORAL_ADDRESS && -x $TEMPORAL_RUN ]]; then
    TEMPORAL_PORT=$(free_port)
    start_temporal
    TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT
    TEMPORAL_KIND="Temporal's test server (\`run $TEMPORAL_PORT\`, real time, in memory)"
    log "Temporal test server (real time) on $TEMPORAL_ADDRESS"
elif [[ -n $TEMPORAL_ADDRESS ]]; then
    TEMPORAL_KIND="Temporal at $TEMPORAL_ADDRESS"
fi
if [[ -n $TEMPORAL_ADDRESS ]]; then
    START_ON_CREATE=true
    TEMPORAL_ENV=(Temporal__Address="$TEMPORAL_ADDRESS")
    # The API's workflows land on a queue no worker polls during the create runs: the start is what is measured.
    TEMPORAL_ENV+=(Temporal__TaskQueue=bench-create)
else
    START_ON_CREATE=false
    TEMPORAL_ENV=()
    TEMPORAL_KIND="none (set OPSDESK_BENCH_TEMPORAL_ADDRESS or provide the shared test server): creates measured with StartOnCreate=false"
fi

# ---------------------------------------------------------------------------------------- measuring
declare -A R  # every figure, by key

# pgbench NAME DB CLIENTS ARGS... : runs a script with per-transaction logs; sets R[NAME.tps|p50|p90|p99|max]
pgbench_run() {
    local name=$1 db=$2 clients=$3; shift 3
    local jobs=$(( clients < 2 ? 1 : 2 ))
    rm -f "$TMP"/pgb_"$name".*
    (cd "$TMP" && pgbench -n -M prepared -c "$clients" -j "$jobs" -l --log-prefix="pgb_$name" "$@" "$db") >"$OUT/pgbench_$name.txt" 2>&1 \
        || { cat "$OUT/pgbench_$name.txt" >&2; exit 1; }
    R[$name.tps]=$(grep -oE 'tps = [0-9.]+' "$OUT/pgbench_$name.txt" | tail -1 | awk '{printf "%.1f", $3}')
    R[$name.failed]=$(grep -oE 'number of failed transactions: [0-9]+' "$OUT/pgbench_$name.txt" | awk '{print $5}' || true)
    # Column 3 is the transaction's latency in microseconds (from its scheduled start when --rate is used).
    cat "$TMP"/pgb_"$name".* | awk '{print $3}' | sort -n >"$TMP/lat"
    read -r R[$name.p50] R[$name.p90] R[$name.p99] R[$name.max] < <(awk '
        { v[NR] = $1 }
        END {
            n = NR; if (n == 0) { print "0 0 0 0"; exit }
            split("0.50 0.90 0.99", q, " ")
            for (i = 1; i <= 3; i++) { k = int(q[i] * n); if (k < q[i] * n) k++; if (k < 1) k = 1; printf "%.3f ", v[k] / 1000 }
            printf "%.3f\n", v[n] / 1000
        }' "$TMP/lat")
    rm -f "$TMP"/pgb_"$name".*
}

# load NAME SUBCOMMAND ARGS... : runs `opsdesk-bench SUBCOMMAND` with JSON output; sets R[NAME.tps|p50|p90|p99|max|failed]
load_run() {
    local name=$1 sub=$2; shift 2
    # Creates go in as the public portal's anonymous create (the default); reads need the agent key.
    # Console pages sign in with --console-key and send its cookie instead.
    local auth=(); [[ ($sub == read || $sub == comment) && " $* " != *" --console-key "* ]] && auth=(--api-key "$API_KEY")
    bench "$sub" --url "$API_URL" "${auth[@]}" --output json "$@" >"$OUT/load_$name.json" 2>"$OUT/load_$name.err" \
        || { cat "$OUT/load_$name.err" >&2; exit 1; }
    local f=$OUT/load_$name.json
    R[$name.tps]=$(jq -r '.throughput' "$f")
    R[$name.p50]=$(jq -r '.latency.p50' "$f")
    R[$name.p90]=$(jq -r '.latency.p90' "$f")
    R[$name.p99]=$(jq -r '.latency.p99' "$f")
    R[$name.max]=$(jq -r '.latency.max' "$f")
    R[$name.failed]=$(jq -r '.failed' "$f")
    R[$name.requests]=$(jq -r '.requests' "$f")
    API_FAILED=$(( ${API_FAILED:-0} + ${R[$name.failed]} ))
}

RSS_PEAK_KB=0
start_api() {  # start_api CONNECTION_STRING START_ON_CREATE [extra env...]
    local cs=$1 start_on_create=$2; shift 2
    API_PORT=$(free_port)
    API_URL=http://127.0.0.1:$API_PORT
    if [[ $cs == "$CS_READS" ]]; then API_KEY=$KEY_READS; else API_KEY=$KEY_CREATE; fi
    # shellcheck disable=SC2086
    env "$@" $API_GC_ENV ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$API_URL" \
        ConnectionStrings__OpsDesk="$cs${API_CS_EXTRA:+;$API_CS_EXTRA}" Triage__StartOnCreate="$start_on_create" Database__MigrateOnStart=false \
        ASPNETCORE_FORWARDEDHEADERS_ENABLED=true RateLimits__AnonymousCreatePermitLimit=1000000 RateLimits__PerClientPermitLimit=10000000 \
        Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
        dotnet "$API_DLL" >>"$OUT/api.log" 2>&1 &
    API_PID=$!
    for _ in $(seq 1 150); do
        curl -fsS "$API_URL/health/ready" >/dev/null 2>&1 && break
        kill -0 "$API_PID" 2>/dev/null || { cat "$OUT/api.log" >&2; exit 1; }
        sleep 0.2
    done
    curl -fsS "$API_URL/health/ready" >/dev/null || { echo "run.sh: API did not become ready" >&2; exit 1; }
    # Peak resident memory of the API process, sampled every 200 ms.
    (
        peak=0
        while kill -0 "$API_PID" 2>/dev/null; do
            v=$(awk '/^VmRSS:/ {print $2}' "/proc/$API_PID/status" 2>/dev/null || echo 0)
            if [[ -n $v && $v -gt $peak ]]; then peak=$v; echo "$peak" >"$TMP/rss.$API_PID"; fi
            sleep 0.2
        done
    ) &
    SAMPLER_PID=$!
    log "API (pid $API_PID) ready at $API_URL"
}
note_rss() {
    local kb
    kb=$(cat "$TMP/rss.$API_PID" 2>/dev/null || echo 0)
    (( kb > RSS_PEAK_KB )) && RSS_PEAK_KB=$kb
    return 0
}

# --------------------------------------------------------------------------------------------- create
# pgbench and the API take turns: ROUNDS slices of each per client count, back to back, so that both
# see the same machine (on a shared host, throughput drifts by tens of percent within minutes).
# Throughput is the mean over the slices (equal lengths: the pooled rate); latency percentiles are the
# median of the slices' percentiles, for both sides alike.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.1f\n", s / NR }'; }
if [[ -z "${BENCH_SKIP_CREATE:-}" ]]; then
start_api "$CS" "$START_ON_CREATE" "${TEMPORAL_ENV[@]}"
log "warming up pgbench and the API (unmeasured)"
pgbench_run "pgb_warmup" opsdesk 8 -T 3 -f "$SCRIPTS/create.sql"
bench create --url "$API_URL" --concurrency 8 --duration 3s --output json >/dev/null
for c in "${CLIENTS[@]}"; do
    pg_tps=() pg_p50=() pg_p99=() api_tps=() api_p50=() api_p99=()
    for r in $(seq 1 "$ROUNDS"); do
        log "create, $c clients, round $r/$ROUNDS: pgbench ${SLICE_SECONDS}s, then the API ${SLICE_SECONDS}s"
        pgbench_run "pgb_create_c${c}_r$r" opsdesk "$c" -T "$SLICE_SECONDS" -f "$SCRIPTS/create.sql"
        load_run "api_create_c${c}_r$r" create --concurrency "$c" --duration "${SLICE_SECONDS}s" --warmup 1s
        pg_tps+=("${R[pgb_create_c${c}_r$r.tps]}") pg_p50+=("${R[pgb_create_c${c}_r$r.p50]}") pg_p99+=("${R[pgb_create_c${c}_r$r.p99]}")
        api_tps+=("${R[api_create_c${c}_r$r.tps]}") api_p50+=("${R[api_create_c${c}_r$r.p50]}") api_p99+=("${R[api_create_c${c}_r$r.p99]}")
    done
    R[pgb_create_c$c.tps]=$(mean "${pg_tps[@]}") R[pgb_create_c$c.p50]=$(median "${pg_p50[@]}") R[pgb_create_c$c.p99]=$(median "${pg_p99[@]}")
    R[api_create_c$c.tps]=$(mean "${api_tps[@]}") R[api_create_c$c.p50]=$(median "${api_p50[@]}") R[api_create_c$c.p99]=$(median "${api_p99[@]}")
    R[create_c$c.rounds]=$(for i in "${!pg_tps[@]}"; do printf '%s/%s ' "${api_tps[$i]%.*}" "${pg_tps[$i]%.*}"; done)
done
log "pgbench create at $RATE tx/s, ${RATE_SECONDS}s"
pgbench_run "pgb_create_rate" opsdesk 32 -T "$RATE_SECONDS" -R "$RATE" -f "$SCRIPTS/create.sql"
log "API create at $RATE req/s (open loop), ${RATE_SECONDS}s"
load_run "api_create_rate" create --rate "$RATE" --duration "${RATE_SECONDS}s" --warmup 2s
note_rss
stop_api
fi

if [[ -n $TEMPORAL_ADDRESS ]]; then
    # What starting the workflow costs: the default (true) and commit-only (false) in turns at 32 clients.
    # A true slice counts until its last start has gone out (the API's start queue drained), so starts
    # that lag behind intake cost throughput instead of hiding in the queue.
    restart_temporal
    soc_true=() soc_false=() soc_true_p99=() soc_false_p99=() soc_drain=() soc_temporal_cpu=() soc_true_n=()
    for r in $(seq 1 "$ROUNDS"); do
        for soc in false true; do
            # The last true slice's tickets are the ones sampled for commit → started.
            [[ $soc == true && $r == "$ROUNDS" ]] && SOC_SINCE=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
            log "create, 32 clients, StartOnCreate=$soc, round $r/$ROUNDS"
            start_api "$CS" "$soc" "${TEMPORAL_ENV[@]}"
            cpu_before=$(cpu_seconds "${TEMPORAL_PID:-0}")
            load_run "api_create_soc_${soc}_r$r" create --concurrency 32 --duration "${SLICE_SECONDS}s" --warmup 2s
            drain_start=$(date +%s.%N)
            for _ in $(seq 1 600); do
                waiting=$(curl -fsS "$API_URL/health/ready" | jq -r '.checks["triage-start-queue"].description' | cut -d' ' -f1)
                [[ $waiting == 0 ]] && break
                sleep 0.1
            done
            drain=$(awk -v a="$drain_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
            if [[ $soc == true && -n $TEMPORAL_PID ]]; then
                soc_temporal_cpu+=("$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$TEMPORAL_PID")" 'BEGIN { printf "%.2f", b - a }')")
                soc_true_n+=("${R[api_create_soc_true_r$r.requests]}")
            fi
            note_rss
            stop_api
            if [[ $soc == true ]]; then
                # Sustained: requests over the slice plus the time its queued starts took to go out.
                soc_true+=("$(awk -v n="${R[api_create_soc_true_r$r.requests]}" -v s="$SLICE_SECONDS" -v d="$drain" 'BEGIN { printf "%.1f", n / (s + d) }')")
                soc_true_p99+=("${R[api_create_soc_true_r$r.p99]}") soc_drain+=("$drain")
            else
                soc_false+=("${R[api_create_soc_false_r$r.tps]}") soc_false_p99+=("${R[api_create_soc_false_r$r.p99]}")
            fi
        done
    done
    R[soc_true.tps]=$(mean "${soc_true[@]}") R[soc_false.tps]=$(mean "${soc_false[@]}")
    R[soc_true.p99]=$(median "${soc_true_p99[@]}") R[soc_false.p99]=$(median "${soc_false_p99[@]}")
    R[soc.drain]="${soc_drain[*]}"
    # The test server's CPU per ticket whose workflow it started (it shares the 2 cores with the API and PostgreSQL).
    R[soc.temporal_cpu_ms]=$(awk -v c="$(printf '%s\n' "${soc_temporal_cpu[@]}" | awk '{ s += $1 } END { print s }')" -v n="$(printf '%s\n' "${soc_true_n[@]}" | awk '{ s += $1 } END { print s }')" 'BEGIN { if (n > 0) printf "%.3f", c * 1000 / n; else print "n/a" }')
    log "commit → workflow started, a sample of the StartOnCreate=true tickets"
    bench started --connection-string "$CS" --temporal-address "$TEMPORAL_ADDRESS" --since "$SOC_SINCE" --count 500 >"$OUT/started.json" 2>"$OUT/started.err" \
        || { cat "$OUT/started.err" "$OUT/started.json" >&2; exit 1; }
    R[started.p50]=$(jq -r '.createToStartedMs.p50' "$OUT/started.json") R[started.p99]=$(jq -r '.createToStartedMs.p99' "$OUT/started.json")
    R[started.max]=$(jq -r '.createToStartedMs.max' "$OUT/started.json") R[started.sampled]=$(jq -r '.sampled' "$OUT/started.json")
    R[started.not]=$(jq -r '.notStarted' "$OUT/started.json")

    # Below saturation: an open loop at a rate the shared cores sustain with every start on.
    # (On the server the slices above warmed: a fresh JVM compiles for its first seconds.)
    TEMPORAL_RATE=${BENCH_TEMPORAL_RATE:-400}
    start_api "$CS" true "${TEMPORAL_ENV[@]}"
    RATE_SINCE=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
    log "create at $TEMPORAL_RATE req/s (open loop) with StartOnCreate=true, ${RATE_SECONDS}s"
    load_run "api_create_soc_rate" create --rate "$TEMPORAL_RATE" --duration "${RATE_SECONDS}s" --warmup 2s
    for _ in $(seq 1 600); do
        [[ $(curl -fsS "$API_URL/health/ready" | jq -r '.checks["triage-start-queue"].description' | cut -d' ' -f1) == 0 ]] && break
        sleep 0.1
    done
    stop_api
    bench started --connection-string "$CS" --temporal-address "$TEMPORAL_ADDRESS" --since "$RATE_SINCE" --count 500 >"$OUT/started_rate.json" 2>>"$OUT/started.err" \
        || { cat "$OUT/started.err" >&2; exit 1; }
    R[started_rate.p50]=$(jq -r '.createToStartedMs.p50' "$OUT/started_rate.json") R[started_rate.p99]=$(jq -r '.createToStartedMs.p99' "$OUT/started_rate.json")
    R[started_rate.max]=$(jq -r '.createToStartedMs.max' "$OUT/started_rate.json") R[started_rate.not]=$(jq -r '.notStarted' "$OUT/started_rate.json")
    R[started_rate.sampled]=$(jq -r '.sampled' "$OUT/started_rate.json")

    # End to end: the API and the real worker host (local classifier) on a queue of their own, created
    # until classified; beside it a bare workflow with one no-op activity on the same server.
    TRIAGE_COUNT=${BENCH_TRIAGE_COUNT:-3000}
    restart_temporal
    WORKER_PORT=$(free_port)
    env ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$WORKER_PORT" ConnectionStrings__OpsDesk="$CS" Database__MigrateOnStart=false \
        Temporal__Address="$TEMPORAL_ADDRESS" Temporal__TaskQueue=bench-triage Temporal__RegisterSearchAttributes=true Triage__Provider=local \
        Triage__ReconcileEverySeconds=3600 Triage__ReconcileAfterSeconds=86400 \
        Logging__LogLevel__Default=Warning DOTNET_gcServer=0 dotnet "$CLI_DLL" >>"$OUT/worker.log" 2>&1 &
    WORKER_PID=$!
    for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$WORKER_PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
    start_api "$CS" true Temporal__Address="$TEMPORAL_ADDRESS" Temporal__TaskQueue=bench-triage
    log "triage end to end: $TRIAGE_COUNT tickets created (32 clients) until classified"
    bench triage --url "$API_URL" --api-key "$API_KEY" --connection-string "$CS" --temporal-address "$TEMPORAL_ADDRESS" \
        --count "$TRIAGE_COUNT" --concurrency 32 >"$OUT/triage.json" 2>"$OUT/triage.err" || { cat "$OUT/triage.err" "$OUT/triage.json" >&2; exit 1; }
    stop_api
    kill "$WORKER_PID" 2>/dev/null || true; wait "$WORKER_PID" 2>/dev/null || true; WORKER_PID=""
    restart_temporal
    log "bare workflow with one no-op activity: $TRIAGE_COUNT runs (32 at once)"
    bench temporal --temporal-address "$TEMPORAL_ADDRESS" --count "$TRIAGE_COUNT" --concurrency 32 >"$OUT/noop.json" 2>"$OUT/noop.err" \
        || { cat "$OUT/noop.err" >&2; exit 1; }
    R[triage.tps]=$(jq -r '.ticketsPerSecond' "$OUT/triage.json") R[noop.tps]=$(jq -r '.workflowsPerSecond' "$OUT/noop.json")
    R[triage.p50]=$(jq -r '.createToClassifiedMs.p50' "$OUT/triage.json") R[triage.p99]=$(jq -r '.createToClassifiedMs.p99' "$OUT/triage.json")
    R[noop.p50]=$(jq -r '.startToCompleteMs.p50' "$OUT/noop.json") R[noop.p99]=$(jq -r '.startToCompleteMs.p99' "$OUT/noop.json")
    R[triage.started_p99]=$(jq -r '.createToStartedMs.p99' "$OUT/triage.json")
fi

# ------------------------------------------------------------------------------------------- reads
read_scenarios() {  # prints: name|api path|pgbench script|pgbench -D args
    local before=$1
    local cursor
    cursor=$(printf 't1:%s' "$before" | base64 | tr '+/' '-_' | tr -d '=\n')
    echo "first|/api/tickets|list_first.sql|"
    echo "deep|/api/tickets?cursor=$cursor|list_deep.sql|-D before=$before"
    echo "status|/api/tickets?status=open|list_status.sql|-D status=open"
    echo "priority|/api/tickets?priority=P0|list_priority.sql|-D priority=P0"
    echo "category|/api/tickets?category=kyc|list_category.sql|-D category=kyc"
    echo "source|/api/tickets?source=phone|list_source.sql|-D source=phone"
    echo "assignee_me_open|/api/tickets?assignee=me&status=open|list_assignee_status.sql|-D assignee=$READS_AGENT -D status=open"
    echo "tag|/api/tickets?tag=vip|list_tag.sql|-D tag=vip"
    for term in "${SEARCH_TERMS[@]}"; do
        echo "search_$term|/api/tickets?q=$term|search.sql|-D q=$term"
    done
}

measure_reads() {  # measure_reads SIZE_LABEL
    local size=$1 before
    # A cursor halfway down the table: a deep page that skips half of the tickets.
    before=$(psql -qAt -d opsdesk_reads -c "SELECT (min(id) + max(id)) / 2 FROM tickets")
    # Warm every read path first (JIT tiers, plan caches, pooled connections), unmeasured, so that
    # the first scenario does not pay for the whole API's warm-up.
    while IFS='|' read -r _ path _ _; do
        bench read --url "$API_URL" --api-key "$API_KEY" --path "$path" --concurrency 2 --duration 1s --output json >/dev/null
    done < <(read_scenarios "$before")
    while IFS='|' read -r name path script defs; do
        log "reads @ $size: $name"
        # shellcheck disable=SC2086
        pgbench_run "pgb_read_${size}_$name" opsdesk_reads 4 -T "$READ_SECONDS" -R "$READ_RATE" -D take=26 $defs -f "$SCRIPTS/$script"
        load_run "api_read_${size}_$name" read --rate "$READ_RATE" --duration "${READ_SECONDS}s" --warmup 1s --path "$path"
    done < <(read_scenarios "$before")
}

# Public agent replies at 32 clients on the seeded tickets, pgbench (the same transaction) and the API
# taking turns as for creates.
measure_comments() {
    local pg_tps=() pg_p99=() api_tps=() api_p99=()
    # A closed ticket takes no comments (409): the replied-to tickets are made resolved first (the
    # open/pending share the read scenarios filter on stays as it was).
    psql -qAt -d opsdesk_reads -c "UPDATE tickets SET status = 'resolved' WHERE id <= $SMALL AND status = 'closed'" >/dev/null
    pgbench_run "pgb_comment_warmup" opsdesk_reads 8 -T 2 -D tickets="$SMALL" -f "$SCRIPTS/comment.sql"
    bench comment --url "$API_URL" --api-key "$API_KEY" --tickets "$SMALL" --concurrency 8 --duration 2s --output json >/dev/null
    for r in $(seq 1 "$ROUNDS"); do
        log "comment, 32 clients, round $r/$ROUNDS: pgbench ${SLICE_SECONDS}s, then the API ${SLICE_SECONDS}s"
        pgbench_run "pgb_comment_c32_r$r" opsdesk_reads 32 -T "$SLICE_SECONDS" -D tickets="$SMALL" -f "$SCRIPTS/comment.sql"
        load_run "api_comment_c32_r$r" comment --concurrency 32 --duration "${SLICE_SECONDS}s" --warmup 1s --tickets "$SMALL"
        pg_tps+=("${R[pgb_comment_c32_r$r.tps]}") pg_p99+=("${R[pgb_comment_c32_r$r.p99]}")
        api_tps+=("${R[api_comment_c32_r$r.tps]}") api_p99+=("${R[api_comment_c32_r$r.p99]}")
    done
    R[pgb_comment_c32.tps]=$(mean "${pg_tps[@]}") R[pgb_comment_c32.p99]=$(median "${pg_p99[@]}")
    R[api_comment_c32.tps]=$(mean "${api_tps[@]}") R[api_comment_c32.p99]=$(median "${api_p99[@]}")
    R[comment_c32.rounds]=$(for i in "${!pg_tps[@]}"; do printf '%s/%s ' "${api_tps[$i]%.*}" "${pg_tps[$i]%.*}"; done)
}

# The console pages a signed-in agent opens, rendered on the server at the large size. The API runs
# as behind a TLS proxy (X-Forwarded-Proto: https; the console's cookies are Secure outside Development).
PAGE_HEADERS=(--header "X-Forwarded-Proto: https")
page_scenarios() {  # prints: name|path
    echo "queue|/console/queue"
    echo "queue_open|/console/queue?status=open"
    echo "queue_mine_open|/console/queue?assignee=me&status=open"
    echo "queue_tag|/console/queue?tag=vip"
    echo "queue_search|/console/queue?q=refund"
    echo "ticket|/console/tickets/$PAGE_TICKET"
}

# A ticket page with everything on it: public replies and internal notes through the API, a priority,
# tag and assignee change (timeline rows), and an AI result with its ticket.classified event.
prepare_page_ticket() {
    PAGE_TICKET=$(psql -qAt -d opsdesk_reads -c "SELECT max(id) FROM tickets WHERE status = 'open'")
    local i body
    for i in 1 2 3 4 5 6; do
        body=$(jq -nc --arg b "Reply $i: we looked at the failed card payment and the order; here is what happens next." --argjson p "$( (( i % 3 )) && echo true || echo false)" '{body: $b, public: $p}')
        curl -fsS -o /dev/null -X POST "$API_URL/api/tickets/$PAGE_TICKET/comments" -H "Authorization: Bearer $API_KEY" \
            -H 'Content-Type: application/json' -H "Idempotency-Key: page-$PAGE_TICKET-$i" -d "$body"
    done
    curl -fsS -o /dev/null -X PATCH "$API_URL/api/tickets/$PAGE_TICKET" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        -d "{\"priority\":\"P1\",\"addTags\":[\"vip\",\"refund\"],\"assigneeId\":$READS_AGENT}"
    psql -qAt -d opsdesk_reads -v id="$PAGE_TICKET" >/dev/null <<'SQL'
INSERT INTO ticket_ai (ticket_id, summary, category, priority, entities, citations, confidence, language, sentiment, provider, model, prompt_version)
VALUES (:id, 'Card charged twice for one order; customer asks for a refund of the second charge.', 'payments', 'P1',
        '[{"type":"amount","value":"499.00"},{"type":"order_id","value":"ORD-4242424"},{"type":"card_last4","value":"4242"}]',
        '[{"slug":"refunds-double-charges","title":"Refunds for double charges","score":0.82},{"slug":"card-payment-failures","title":"Card payment failures","score":0.71}]',
        0.91, 'en', 'negative', 'local', 'lexicon-v1', 'v3')
ON CONFLICT (ticket_id) DO NOTHING;
UPDATE tickets SET category = 'payments', triage_status = 'classified' WHERE id = :id;
INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key)
VALUES (:id, 'ticket.classified', '{"category":"payments","priority":"P1","suggestedPriority":"P1","confidence":0.91,"language":"en","sentiment":"negative","provider":"local","model":"lexicon-v1","promptVersion":"v3"}', 'classified')
ON CONFLICT DO NOTHING;
SQL
}

measure_pages() {
    prepare_page_ticket
    local name path
    # Warm every page first (JIT, plan caches, the sign-in), unmeasured.
    while IFS='|' read -r _ path; do
        bench read --url "$API_URL" --console-key "$API_KEY" "${PAGE_HEADERS[@]}" --path "$path" --concurrency 2 --duration 2s --output json >/dev/null
    done < <(page_scenarios)
    local cpu_before
    while IFS='|' read -r name path; do
        log "pages @ large: $name"
        cpu_before=$(cpu_seconds "$API_PID")
        load_run "page_$name" read --console-key "$API_KEY" "${PAGE_HEADERS[@]}" --rate "$PAGE_RATE" --duration "${PAGE_SECONDS}s" --warmup 1s --path "$path"
        # The API's own CPU per page (warm-up requests included): a figure a busy machine moves less than latency.
        R[page_$name.cpu_ms]=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$API_PID")" -v n="${R[page_$name.requests]}" -v r="$PAGE_RATE" \
            'BEGIN { total = n + r; if (total > 0) printf "%.2f", (b - a) * 1000 / total; else print "n/a" }')
    done < <(page_scenarios)
}

if [[ -n $ONLY_PAGES ]]; then
log "seeding $LARGE tickets"
SEED_START=$(date +%s)
bench seed --tickets "$LARGE" --connection-string "$CS_READS" >"$OUT/seed_large.txt" 2>>"$OUT/seed.log"
SEED_SECONDS=$(( $(date +%s) - SEED_START ))
start_api "$CS_READS" false
measure_pages
note_rss
stop_api
elif [[ -z "${BENCH_SKIP_READS:-}" ]]; then
log "seeding $SMALL tickets"
bench seed --tickets "$SMALL" --connection-string "$CS_READS" >"$OUT/seed_small.txt" 2>>"$OUT/seed.log"
start_api "$CS_READS" false
measure_reads small
measure_comments
note_rss

log "seeding up to $LARGE tickets"
SEED_START=$(date +%s)
bench seed --tickets $(( LARGE - SMALL )) --random-seed 43 --connection-string "$CS_READS" >"$OUT/seed_large.txt" 2>>"$OUT/seed.log"
SEED_SECONDS=$(( $(date +%s) - SEED_START ))
measure_reads large
measure_pages
note_rss
stop_api
fi

# ---------------------------------------------------------------------------------------- classify
if [[ -n $ONLY_PAGES ]]; then
    CLASSIFY_TPS="n/a" CLASSIFY_P99="n/a" CLASSIFY_REASON="not measured (BENCH_ONLY_PAGES)"
else
log "local classifier"
bench classify --duration 10s --output json >"$OUT/classify.json"
if [[ $(jq -r '.available' "$OUT/classify.json") == true ]]; then
    CLASSIFY_TPS=$(jq -r '.result.throughput' "$OUT/classify.json")
    CLASSIFY_P99=$(jq -r '.result.latency.p99' "$OUT/classify.json")
else
    CLASSIFY_TPS="n/a"
    CLASSIFY_P99="n/a"
    CLASSIFY_REASON=$(jq -r '.reason' "$OUT/classify.json")
fi
fi

# ------------------------------------------------------------------------------------------ report
# Parts skipped with BENCH_SKIP_* leave their figures unset: they print empty, not abort the report.
set +u
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? "yes" : "**no**" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? "yes" : "**no**" }'; }
max_of() { printf '%s\n' "$@" | awk 'NR == 1 || $1 > m { m = $1 } END { printf "%s", m }'; }

ELAPSED=$(( $(date +%s) - STARTED ))
RSS_MB=$(awk -v kb="$RSS_PEAK_KB" 'BEGIN { printf "%.1f", kb / 1024 }')
C32_RATIO=$(ratio "${R[api_create_c32.tps]}" "${R[pgb_create_c32.tps]}")
# pgbench's best client count: PostgreSQL may do more with fewer backends than 32 (the API multiplexes
# its 32 callers over a few connections), so the stricter baseline is reported too.
BEST_PGB_C=32
for c in "${CLIENTS[@]}"; do
    if awk -v a="${R[pgb_create_c$c.tps]}" -v b="${R[pgb_create_c$BEST_PGB_C.tps]}" 'BEGIN { exit !(a > b) }'; then BEST_PGB_C=$c; fi
done
C32_BEST_RATIO=$(ratio "${R[api_create_c32.tps]}" "${R[pgb_create_c$BEST_PGB_C.tps]}")
SIZE_SMALL_LABEL=$(awk -v n="$SMALL" 'BEGIN { if (n >= 1000000) printf "%g M", n / 1000000; else printf "%g k", n / 1000 }')
SIZE_LARGE_LABEL=$(awk -v n="$LARGE" 'BEGIN { if (n >= 1000000) printf "%g M", n / 1000000; else printf "%g k", n / 1000 }')

LIST_NAMES=(first deep status priority category source)
list_large=() search_large=() growth=()
for n in "${LIST_NAMES[@]}"; do
    list_large+=("${R[api_read_large_$n.p99]}")
    growth+=("$(ratio "${R[api_read_large_$n.p99]}" "${R[api_read_small_$n.p99]}")")
done
for t in "${SEARCH_TERMS[@]}"; do search_large+=("${R[api_read_large_search_$t.p99]}"); done
LIST_P99_LARGE=$(max_of "${list_large[@]}")
SEARCH_P99_LARGE=$(max_of "${search_large[@]}")
LIST_GROWTH=$(max_of "${growth[@]}")

# The console pages (issue 17), its own marked section so that BENCH_ONLY_PAGES=1 can rewrite it alone.
pages_section() {
    echo "<!-- pages:begin (deploy/bench/run.sh; BENCH_ONLY_PAGES=1 rewrites this section alone) -->"
    echo "## Console pages, rendered on the server at $SIZE_LARGE_LABEL tickets (issue 17)"
    echo
    echo "Command: \`flock /tmp/opsdesk-bench.lock env BENCH_ONLY_PAGES=1 deploy/bench/run.sh\` (a full run measures them too, after the list reads)."
    echo "Measured on $(date -u '+%Y-%m-%d %H:%M UTC') (commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)); load average at start ${LOADAVG_START}."
    echo "An agent signed in through the console's own sign-in form (session cookie; the API in Release, Production, as"
    echo "behind a TLS proxy: \`X-Forwarded-Proto: https\`); each page GET in an open loop at $PAGE_RATE/s for ${PAGE_SECONDS}s, latency"
    echo "from the intended send time to the whole HTML read. The ticket page shows ticket $PAGE_TICKET: 4 public replies,"
    echo "2 internal notes, an AI result with entities and citations, and its timeline (created, comments, priority, tags,"
    echo "assignee, classified). API CPU per page: the API process's CPU time over the measured and 1 s warm-up requests."
    echo "The API's connection string extras \`${API_CS_EXTRA:-none}\`, environment \`${API_GC_ENV:-none}\`."
    echo
    echo "| page | GET | p50 ms | p99 ms | max ms | API CPU ms per page | failed | target | met |"
    echo "|---|---|---:|---:|---:|---:|---:|---|---|"
    while IFS='|' read -r name path; do
        echo "| $name | \`$path\` | ${R[page_$name.p50]} | ${R[page_$name.p99]} | ${R[page_$name.max]} | ${R[page_$name.cpu_ms]} | ${R[page_$name.failed]} | p99 ≤ 50 ms | $(le "${R[page_$name.p99]}" 50) |"
    done < <(page_scenarios)
    echo "<!-- pages:end -->"
    echo
}

if [[ -n $ONLY_PAGES ]]; then
    pages_section >"$TMP/pages.md"
    if [[ -f $RESULTS ]] && grep -q '<!-- pages:begin' "$RESULTS"; then
        awk -v f="$TMP/pages.md" '
            /<!-- pages:begin/ { while ((getline line < f) > 0) print line; skip = 1; next }
            /<!-- pages:end -->/ { skip = 0; getline; if ($0 != "") print; next }
            !skip { print }' "$RESULTS" >"$TMP/results.md"
    else
        { [[ -f $RESULTS ]] && cat "$RESULTS"; echo; cat "$TMP/pages.md"; } >"$TMP/results.md"
    fi
    cp "$TMP/results.md" "$RESULTS"
    cat "$TMP/pages.md"
    log "done in ${ELAPSED}s; wrote the pages section of $RESULTS"
    exit 0
fi

{
    echo "# OpsDesk benchmark results"
    echo
    echo "Written by \`deploy/bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') in ${ELAPSED} s (commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown))."
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory;" \
         "$("$PGBIN/postgres" --version); .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }');" \
         "load average at start ${LOADAVG_START:-$(cut -d' ' -f1-3 /proc/loadavg)} (the machine is shared: figures move between runs)."
    echo
    echo "PostgreSQL: throwaway cluster, shared_buffers=1GB, $( [[ -n "${BENCH_PG_DURABLE:-}" ]] && echo synchronous_commit=on || echo 'synchronous_commit=off (fsync on: durable on a crash of the process, the last few ms of commits may be lost on a machine crash)'). Temporal: $TEMPORAL_KIND. The API: Release build, Production, logging at Warning, Triage:StartOnCreate=$START_ON_CREATE (the create rows above the StartOnCreate rows), connection string extras \`${API_CS_EXTRA:-none}\`, environment \`${API_GC_ENV:-none}\`. Load generator, API and PostgreSQL share the same cores; pgbench runs with \`-M prepared\`, \`-j 2\`."
    echo
    echo "| area | measurement | OpsDesk API | pgbench, same SQL | API / pgbench | target | met |"
    echo "|---|---|---:|---:|---:|---|---|"
    for c in "${CLIENTS[@]}"; do
        target="" met=""
        if [[ $c == 32 ]]; then target="ratio ≥ 0.70"; met=$(ge "$C32_RATIO" 0.70); fi
        echo "| create | throughput, $c client(s), tx/s, mean of $ROUNDS interleaved ${SLICE_SECONDS}s slices | ${R[api_create_c$c.tps]} | ${R[pgb_create_c$c.tps]} | $(ratio "${R[api_create_c$c.tps]}" "${R[pgb_create_c$c.tps]}") | $target | $met |"
    done
    echo "| create | API at 32 clients vs pgbench at its best client count ($BEST_PGB_C), tx/s | ${R[api_create_c32.tps]} | ${R[pgb_create_c$BEST_PGB_C.tps]} | $C32_BEST_RATIO | | |"
    echo "| create | each slice at 32 clients, API / pgbench tx/s | ${R[create_c32.rounds]} | | | | |"
    for c in "${CLIENTS[@]}"; do
        echo "| create | latency p50 / p99, $c client(s), ms (median of slices) | ${R[api_create_c$c.p50]} / ${R[api_create_c$c.p99]} | ${R[pgb_create_c$c.p50]} / ${R[pgb_create_c$c.p99]} | $(ratio "${R[api_create_c$c.p99]}" "${R[pgb_create_c$c.p99]}") | | |"
    done
    echo "| create | open loop at $RATE/s: achieved, req/s | ${R[api_create_rate.tps]} | ${R[pgb_create_rate.tps]} | $(ratio "${R[api_create_rate.tps]}" "${R[pgb_create_rate.tps]}") | | |"
    echo "| create | open loop at $RATE/s: p50, ms | ${R[api_create_rate.p50]} | ${R[pgb_create_rate.p50]} | $(ratio "${R[api_create_rate.p50]}" "${R[pgb_create_rate.p50]}") | | |"
    echo "| create | open loop at $RATE/s: p99, ms | ${R[api_create_rate.p99]} | ${R[pgb_create_rate.p99]} | $(ratio "${R[api_create_rate.p99]}" "${R[pgb_create_rate.p99]}") | ≤ 5 ms | $(le "${R[api_create_rate.p99]}" 5) |"
    echo "| create | open loop at $RATE/s: max, ms | ${R[api_create_rate.max]} | ${R[pgb_create_rate.max]} | | | |"
    if [[ -n ${R[soc_true.tps]:-} ]]; then
        SOC_RATIO=$(ratio "${R[soc_true.tps]}" "${R[soc_false.tps]}")
        echo "| create | 32 clients, StartOnCreate=true (default, sustained: until its starts went out) vs false (commit only), tx/s, mean of $ROUNDS interleaved ${SLICE_SECONDS}s slices | ${R[soc_true.tps]} | ${R[soc_false.tps]} (false) | $SOC_RATIO | ratio ≥ 0.80 | $(ge "$SOC_RATIO" 0.80) |"
        echo "| create | seconds each true slice's start queue took to drain after the slice | ${R[soc.drain]} | | | | |"
        echo "| create | Temporal test server CPU per started workflow (same 2 cores as the API and PostgreSQL), ms | ${R[soc.temporal_cpu_ms]} | | | | |"
        echo "| create | 32 clients, StartOnCreate=true vs false, p99 ms (median of slices) | ${R[soc_true.p99]} | ${R[soc_false.p99]} (false) | | | |"
        echo "| create | commit → triage workflow started, p50 / p99 / max ms (${R[started.sampled]} sampled tickets of the last true slice; ${R[started.not]} of them never started, left to the reconciler) | ${R[started.p50]} / ${R[started.p99]} / ${R[started.max]} | | | p99 ≤ 1000 ms, all started | $( [[ ${R[started.not]} == 0 ]] && le "${R[started.p99]}" 1000 || echo '**no**') |"
        echo "| create | open loop at $TEMPORAL_RATE/s with StartOnCreate=true: achieved req/s, p99 ms | ${R[api_create_soc_rate.tps]}, ${R[api_create_soc_rate.p99]} | | | | |"
        echo "| create | open loop at $TEMPORAL_RATE/s: commit → workflow started, p50 / p99 / max ms (${R[started_rate.sampled]} sampled; ${R[started_rate.not]} never started) | ${R[started_rate.p50]} / ${R[started_rate.p99]} / ${R[started_rate.max]} | | | p99 ≤ 1000 ms, all started | $( [[ ${R[started_rate.not]} == 0 ]] && le "${R[started_rate.p99]}" 1000 || echo '**no**') |"
        TRIAGE_RATIO=$(ratio "${R[triage.tps]}" "${R[noop.tps]}")
        echo "| triage | end to end, ${TRIAGE_COUNT} tickets: API → worker host → classified, tickets/s (beside: bare workflow + 1 no-op activity, workflows/s) | ${R[triage.tps]} | ${R[noop.tps]} (bare workflow) | $TRIAGE_RATIO | | |"
        echo "| triage | create → classified p50 / p99 ms (bare workflow: start → complete) | ${R[triage.p50]} / ${R[triage.p99]} | ${R[noop.p50]} / ${R[noop.p99]} (bare workflow) | | | |"
    else
        echo "| create | StartOnCreate=true (Temporal) | n/a | | | no Temporal server: $TEMPORAL_KIND | |"
    fi
    for size in small large; do
        label=$SIZE_SMALL_LABEL
        [[ $size == large ]] && label=$SIZE_LARGE_LABEL
        while IFS='|' read -r name path _ _; do
            kind=list; [[ $name == search_* ]] && kind=search
            target="" met=""
            if [[ $size == large ]]; then target="p99 ≤ 20 ms"; met=$(le "${R[api_read_${size}_$name.p99]}" 20); fi
            echo "| $kind @ $label | \`${path%%cursor=*}$( [[ $path == *cursor=* ]] && echo 'cursor=(middle)')\` at $READ_RATE/s: p50 / p99, ms | ${R[api_read_${size}_$name.p50]} / ${R[api_read_${size}_$name.p99]} | ${R[pgb_read_${size}_$name.p50]} / ${R[pgb_read_${size}_$name.p99]} | $(ratio "${R[api_read_${size}_$name.p99]}" "${R[pgb_read_${size}_$name.p99]}") | $target | $met |"
        done < <(read_scenarios 1)
    done
    i=0
    for n in "${LIST_NAMES[@]}"; do
        echo "| list growth | $n: p99 at $SIZE_LARGE_LABEL / p99 at $SIZE_SMALL_LABEL | ${growth[$i]} | $(ratio "${R[pgb_read_large_$n.p99]}" "${R[pgb_read_small_$n.p99]}") | | ≤ 2 (barely grows) | $(le "${growth[$i]}" 2) |"
        i=$(( i + 1 ))
    done
    COMMENT_RATIO=$(ratio "${R[api_comment_c32.tps]}" "${R[pgb_comment_c32.tps]}")
    echo "| comment | public agent reply, 32 clients, tx/s, mean of $ROUNDS interleaved ${SLICE_SECONDS}s slices (on the $SIZE_SMALL_LABEL seeded tickets) | ${R[api_comment_c32.tps]} | ${R[pgb_comment_c32.tps]} | $COMMENT_RATIO | ratio ≥ 0.70 | $(ge "$COMMENT_RATIO" 0.70) |"
    echo "| comment | each slice, API / pgbench tx/s | ${R[comment_c32.rounds]} | | | | |"
    echo "| comment | latency p99, 32 clients, ms (median of slices) | ${R[api_comment_c32.p99]} | ${R[pgb_comment_c32.p99]} | $(ratio "${R[api_comment_c32.p99]}" "${R[pgb_comment_c32.p99]}") | | |"
    echo "| memory | API peak RSS (VmRSS) over all runs, MB | $RSS_MB | | | ≤ 150 MB | $(le "$RSS_MB" 150) |"
    echo "| errors | failed API requests over all runs | ${API_FAILED:-0} | | | 0 | $( [[ ${API_FAILED:-0} == 0 ]] && echo yes || echo '**no**') |"
    echo "| seed | load seed of $(( LARGE - SMALL )) tickets + events (COPY, VACUUM ANALYZE), s | ${SEED_SECONDS} | | | | |"
    if [[ $CLASSIFY_TPS == "n/a" ]]; then
        echo "| classify | local classifier, classifications/s | n/a | | | ${CLASSIFY_REASON} | |"
    else
        echo "| classify | local classifier, classifications/s (p99 ms) | $CLASSIFY_TPS ($CLASSIFY_P99) | | | | |"
    fi
    echo
    [[ -n ${R[page_ticket.p99]:-} ]] && pages_section
    if [[ -f $BENCH/NOTES.md ]]; then
        cat "$BENCH/NOTES.md"
        echo
    fi
    echo "## Machine-readable"
    echo
    echo "create_vs_pgbench_c32: $C32_RATIO"
    echo "create_p99_ms_1000rps: ${R[api_create_rate.p99]}"
    echo "pgbench_p99_ms_1000rps: ${R[pgb_create_rate.p99]}"
    echo "create_vs_best_pgbench_c32: $C32_BEST_RATIO"
    echo "list_p99_ms_1m: $LIST_P99_LARGE"
    echo "search_p99_ms_1m: $SEARCH_P99_LARGE"
    echo "list_p99_growth_10k_to_1m: $LIST_GROWTH"
    echo "api_rss_mb: $RSS_MB"
    echo "comment_vs_pgbench_c32: ${COMMENT_RATIO:-n/a}"
    echo "list_assignee_me_open_p99_ms_1m: ${R[api_read_large_assignee_me_open.p99]:-n/a}"
    echo "list_tag_p99_ms_1m: ${R[api_read_large_tag.p99]:-n/a}"
    echo "start_on_create_true_vs_false_c32: ${SOC_RATIO:-n/a}"
    echo "create_to_workflow_started_p99_ms: ${R[started.p99]:-n/a}"
    echo "triage_vs_bare_workflow: ${TRIAGE_RATIO:-n/a}"
} >"$TMP/results.md"

# The telemetry section (deploy/bench/telemetry.sh) is measured by its own script: keep it.
if [[ -f $RESULTS ]] && grep -q '<!-- telemetry:begin' "$RESULTS"; then
    { echo; sed -n '/<!-- telemetry:begin/,/<!-- telemetry:end -->/p' "$RESULTS"; } >>"$TMP/results.md"
fi
cp "$TMP/results.md" "$RESULTS"
cat "$RESULTS"
log "done in ${ELAPSED}s; wrote $RESULTS"
