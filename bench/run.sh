#!/usr/bin/env bash
# Tollgate benchmarks (issue 9): every scenario side by side in one run, one Markdown table on
# stdout (progress on stderr). Not run in CI. See bench/README.md for what each row measures.
#
#   bench/run.sh            full run (~8 min on 2 cores)
#   bench/run.sh --quick    short smoke run (numbers meaningless, checks that everything works)
#
# Environment (all optional):
#   TOLLGATE_BIN=path       use this gateway binary instead of building target/release/tollgate
#   BENCH_BIN_DIR=dir       where tollgate-bench-mock/-load are (default: built into target/release)
#   BENCH_RATE=1000         fixed request rate of the latency rows (requests/s)
#   BENCH_STREAM_RATE=200   fixed rate of the streaming rows
#   BENCH_DURATION=15       measured seconds per fixed-rate row (after BENCH_WARMUP=3)
#   BENCH_MAX_DURATION=10   measured seconds per max-throughput row
#   BENCH_CONNS=64          connections of the max-throughput rows (wrk)
#   BENCH_STREAMS=5000      open streams held for the memory row
#   BENCH_PIN=1             pin the proxy under test to CPU 1 and load driver + mock to CPU 0
#                           (0: let the scheduler place everything)
#   BENCH_SKIP_LITELLM=1    skip installing and measuring LiteLLM
#   BENCH_PERF=1            perf-record Tollgate during its max-throughput row; report in raw dir
#   BENCH_DATABASE_URL, BENCH_REDIS_URL   also run the virtual-key rows on PostgreSQL + Redis
#   BENCH_KEEP=1            keep the work dir (configs, logs, raw driver output)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tollgate-bench
MASTER_KEY=sk-bench-master-key-000000
LITELLM_VERSION=1.109.1
CERTIFI_OVERRIDE=2026.10.18
EXTRAS_OVERRIDE=0.4.110

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
RATE=${BENCH_RATE:-1000}
STREAM_RATE=${BENCH_STREAM_RATE:-200}
WARMUP=${BENCH_WARMUP:-3}
DURATION=${BENCH_DURATION:-15}
MAX_DURATION=${BENCH_MAX_DURATION:-10}
CONNS=${BENCH_CONNS:-64}
STREAMS=${BENCH_STREAMS:-5000}
PIN=${BENCH_PIN:-1}
if [ "$QUICK" = 1 ]; then
  WARMUP=0.5 DURATION=2 MAX_DURATION=1 STREAMS=${BENCH_STREAMS:-300} CONNS=${BENCH_CONNS:-2}
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")
RAW=$WORK/raw
mkdir -p "$RAW"
PIDS=()

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif have sudo; then sudo "$@"; else return 1; fi
}

# Every process this script started, and their children (LiteLLM's workers, nginx's).
descendants() {
  local p
  for p in $(pgrep -P "$1" 2>/dev/null || true); do
    echo "$p"
    descendants "$p"
  done
}
kill_tree() {
  local pid=$1 all
  all="$pid $(descendants "$pid" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill $all 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill_tree "$pid"; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- installs (idempotent)
install_tools() {
  local missing=()
  have wrk || missing+=(wrk)
  have nginx || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  have curl || missing+=(curl)
  have taskset || missing+=(util-linux)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} (apt)"
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)

  GHZ=$(command -v ghz || true)
  [ -z "$GHZ" ] && [ -x "$CACHE/bin/ghz" ] && GHZ=$CACHE/bin/ghz
  if [ -z "$GHZ" ] && have go; then
    log "installing ghz (go install)"
    mkdir -p "$CACHE/bin"
    if GOBIN="$CACHE/bin" go install github.com/bojand/ghz/cmd/ghz@latest >&2; then
      GHZ=$CACHE/bin/ghz
    fi
  fi
}

# The wanted version if the registry has it, else the newest it has.
pick_version() {
  local py=$1 name=$2 want=$3 list
  list=$("$py" -m pip index versions "$name" 2>/dev/null | sed -n 's/^Available versions: //p' || true)
  if [ -z "$list" ] || tr ',' '\n' <<<"$list" | tr -d ' ' | grep -qx "$want"; then
    echo "$want"
  else
    echo "${list%%,*}"
  fi
}

install_litellm() {
  LITELLM=""
  LITELLM_SKIP=""
  if [ "${BENCH_SKIP_LITELLM:-0}" = 1 ]; then LITELLM_SKIP="skipped (BENCH_SKIP_LITELLM=1)"; return; fi
  local venv=$CACHE/litellm-venv
  if [ -x "$venv/bin/litellm" ]; then
    LITELLM=$venv/bin/litellm
    return
  fi
  if ! have python3; then LITELLM_SKIP="not installed: python3 missing"; return; fi
  log "installing LiteLLM $LITELLM_VERSION into $venv (pip + uv)"
  mkdir -p "$CACHE"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q uv; } >&2; then
    LITELLM_SKIP="not installed: venv/uv failed"
    return
  fi
  local version certifi extras
  version=$(pick_version "$venv/bin/python" litellm "$LITELLM_VERSION")
  certifi=$(pick_version "$venv/bin/python" certifi "$CERTIFI_OVERRIDE")
  extras=$(pick_version "$venv/bin/python" litellm-proxy-extras "$EXTRAS_OVERRIDE")
  printf 'certifi==%s\nlitellm-proxy-extras==%s\n' "$certifi" "$extras" >"$CACHE/litellm-overrides.txt"
  if "$venv/bin/uv" pip install --python "$venv/bin/python" "litellm[proxy]==$version" \
    --override "$CACHE/litellm-overrides.txt" >&2; then
    LITELLM=$venv/bin/litellm
  else
    LITELLM_SKIP="not installed: uv pip install litellm[proxy]==$version failed"
  fi
}

build() {
  # Two invocations: `--bin` would otherwise restrict the bench crates to a bin of that name.
  if [ -z "${TOLLGATE_BIN:-}" ]; then
    log "cargo build --release -p tollgate --bin tollgate"
    (cd "$ROOT" && cargo build --release --quiet -p tollgate --bin tollgate >&2)
  fi
  if [ -z "${BENCH_BIN_DIR:-}" ]; then
    log "cargo build --release -p tollgate-bench-mock -p tollgate-bench-load"
    (cd "$ROOT" && cargo build --release --quiet -p tollgate-bench-mock -p tollgate-bench-load >&2)
  fi
  local dir=${BENCH_BIN_DIR:-$ROOT/target/release}
  TOLLGATE=$(realpath "${TOLLGATE_BIN:-$ROOT/target/release/tollgate}")
  MOCK=$(realpath "$dir/tollgate-bench-mock")
  LOAD=$(realpath "$dir/tollgate-bench-load")
}

# ---------------------------------------------------------------- process helpers
PIN_PROXY=()
PIN_LOAD=()
setup_pinning() {
  PIN_NOTE="not pinned"
  if [ "$PIN" = 1 ] && have taskset && [ "$(nproc)" -ge 2 ]; then
    PIN_PROXY=(taskset -c 1)
    PIN_LOAD=(taskset -c 0)
    PIN_NOTE="proxy under test on CPU 1; load driver + mock on CPU 0"
  fi
}

# wait_addr LOGFILE PID SECONDS → prints the address from `listening on ADDR`
wait_addr() {
  local file=$1 pid=$2 tries=$(($3 * 50)) addr
  while [ "$tries" -gt 0 ]; do
    addr=$(grep -oE 'listening on [0-9.]+:[0-9]+' "$file" 2>/dev/null | head -n1 | sed 's/listening on //' || true)
    if [ -n "$addr" ]; then echo "$addr"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "process $pid exited before listening; log $file:"
      tail -n 20 "$file" >&2
      return 1
    fi
    sleep 0.02
    tries=$((tries - 1))
  done
  log "timeout waiting for $file"
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_mock() { # NAME ARGS... → MOCK_ADDR
  local name=$1
  shift
  "${PIN_LOAD[@]}" "$MOCK" --port 0 "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  MOCK_ADDR=$(wait_addr "$WORK/$name.log" $! 10)
}

write_config() { # FILE MOCK_ADDR [extra general_settings lines]
  cat >"$1" <<EOF
model_list:
  - model_name: bench
    litellm_params:
      model: openai/bench
      api_base: "http://$2/v1"
      api_key: sk-x
      input_cost_per_token: 0.0000001
      output_cost_per_token: 0.0000002
general_settings:
  master_key: $MASTER_KEY
${3:-}
litellm_settings:
  set_verbose: false
  request_timeout: 600
EOF
}

start_tollgate() { # NAME CONFIG → TG_PID TG_ADDR (cwd is a fresh dir: SQLite file there)
  local dir=$WORK/$1
  mkdir -p "$dir"
  (cd "$dir" && exec "${PIN_PROXY[@]}" "$TOLLGATE" --config "$2" --host 127.0.0.1 --port 0) \
    2>"$dir/stderr.log" >/dev/null &
  TG_PID=$!
  PIDS+=("$TG_PID")
  TG_ADDR=$(wait_addr "$dir/stderr.log" "$TG_PID" 30)
}

stop_pid() { # SIGTERM the process and its children; SIGKILL what is left after 5 s
  local pids tries=50
  pids="$1 $(descendants "$1" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill $pids 2>/dev/null || true
  while [ "$tries" -gt 0 ] && kill -0 "$1" 2>/dev/null; do
    sleep 0.1
    tries=$((tries - 1))
  done
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------- /proc measurements
CLK_TCK=$(getconf CLK_TCK)
pid_tree() { echo "$1"; descendants "$1"; }
cpu_ticks() { # PIDS... → utime+stime ticks summed (fields 14+15 of /proc/PID/stat)
  local p t=0 v
  for p in "$@"; do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}' || true)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
rss_kb() { # PIDS... → VmRSS summed, kB
  local p t=0 v
  for p in "$@"; do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
# kv KEY LINE → value of KEY=value in a driver line
kv() { grep -oE "(^| )$1=[^ ]*" <<<"$2" | head -n1 | cut -d= -f2 || true; }

RSS_SAMPLER=""
rss_sampler_start() { # PIDS... : samples the summed RSS every 0.2 s into $WORK/rss.samples
  : >"$WORK/rss.samples"
  (
    while true; do
      rss_kb "$@" >>"$WORK/rss.samples"
      sleep 0.2
    done
  ) &
  RSS_SAMPLER=$!
  PIDS+=("$RSS_SAMPLER")
}
rss_sampler_stop() { # → max sample, kB
  [ -n "$RSS_SAMPLER" ] && stop_pid "$RSS_SAMPLER"
  RSS_SAMPLER=""
  sort -n "$WORK/rss.samples" | tail -n1
}

# ---------------------------------------------------------------- table
ROWS=()
# row SCENARIO LOAD RPS P50 P90 P99 P999 CPU RSS NOTE
row() {
  ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 | $9 | ${10} |")
}
skip_row() { row "$1" "$2" "–" "–" "–" "–" "–" "–" "–" "$3"; }

# ---------------------------------------------------------------- measurements
CHAT_BODY=$WORK/chat.json
STREAM_BODY=$WORK/stream.json
write_bodies() {
  cat >"$CHAT_BODY" <<'EOF'
{"model":"bench","messages":[{"role":"system","content":"You are a concise assistant. Answer in one paragraph."},{"role":"user","content":"Explain in a few sentences what an LLM gateway does and why its overhead matters for latency-sensitive applications."}],"temperature":0.2,"max_tokens":256,"user":"bench-user"}
EOF
  cat >"$STREAM_BODY" <<'EOF'
{"model":"bench","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"You are a concise assistant. Answer in one paragraph."},{"role":"user","content":"Explain in a few sentences what an LLM gateway does and why its overhead matters for latency-sensitive applications."}],"temperature":0.2,"max_tokens":256,"user":"bench-user"}
EOF
}

# check_ok URL KEY BODY → 0 if a request answers 2xx (else logs the answer)
check_ok() {
  local code
  code=$(curl -s -o "$WORK/check.out" -w '%{http_code}' -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' --data-binary "@$3" "$1" || true)
  if [ "${code:0:1}" = 2 ]; then return 0; fi
  log "check $1 → $code: $(head -c 300 "$WORK/check.out" 2>/dev/null)"
  return 1
}

# fixed_rate NAME URL KEY BODY RATE PIDS... → RESULT (driver line + cpu_ms_per_1k)
fixed_rate() {
  local name=$1 url=$2 key=$3 body=$4 rate=$5
  shift 5
  local pids=("$@") auth=() c0 c1 load_pid
  [ -n "$key" ] && auth=(-H "Authorization: Bearer $key")
  log "fixed rate: $name @ $rate rps for ${WARMUP}+${DURATION}s"
  "${PIN_LOAD[@]}" "$LOAD" rate --url "$url" "${auth[@]}" --body "@$body" --rate "$rate" \
    --duration "$DURATION" --warmup "$WARMUP" --connections 32 >"$RAW/$name.txt" &
  load_pid=$!
  PIDS+=("$load_pid")
  sleep "$WARMUP"
  c0=$(cpu_ticks "${pids[@]}")
  [ "${#pids[@]}" -gt 0 ] && rss_sampler_start "${pids[@]}"
  sleep "$DURATION"
  c1=$(cpu_ticks "${pids[@]}")
  RSS_PEAK=""
  [ "${#pids[@]}" -gt 0 ] && RSS_PEAK=$(rss_sampler_stop)
  wait "$load_pid" || true
  RESULT=$(cat "$RAW/$name.txt")
  local ok
  ok=$(kv ok "$RESULT")
  CPU_PER_1K="–"
  if [ "${#pids[@]}" -gt 0 ] && [ "${ok:-0}" -gt 0 ]; then
    CPU_PER_1K=$(calc "($c1 - $c0) * 1000 / $CLK_TCK / ($ok / 1000)" 0)
  fi
  echo "$name: $RESULT cpu_ms_per_1k=$CPU_PER_1K" >>"$RAW/summary.txt"
}

# max_rate NAME URL KEY BODY PIDS... → RESULT (wrk closed loop, $CONNS connections)
max_rate() {
  local name=$1 url=$2 key=$3 body=$4
  shift 4
  local pids=("$@") c0 c1 perf_pid=""
  log "max throughput: $name ($CONNS connections, ${MAX_DURATION}s)"
  if [ "$QUICK" = 0 ]; then
    BENCH_BODY_FILE=$body BENCH_AUTH=$key "${PIN_LOAD[@]}" wrk -t1 -c"$CONNS" -d2s \
      -s "$ROOT/bench/wrk-report.lua" "$url" >/dev/null 2>&1 || true
  fi
  c0=$(cpu_ticks "${pids[@]}")
  [ "${#pids[@]}" -gt 0 ] && rss_sampler_start "${pids[@]}"
  if [ "${BENCH_PERF:-0}" = 1 ] && [ "$name" = "${PERF_TARGET:-}" ] && have perf; then
    perf record -F 499 -g -o "$RAW/perf-$name.data" -p "${pids[0]}" -- sleep "$MAX_DURATION" \
      >/dev/null 2>&1 &
    perf_pid=$!
  fi
  BENCH_BODY_FILE=$body BENCH_AUTH=$key "${PIN_LOAD[@]}" wrk -t1 -c"$CONNS" -d"${MAX_DURATION}s" \
    -s "$ROOT/bench/wrk-report.lua" "$url" >"$RAW/$name.wrk.txt" 2>&1 || true
  c1=$(cpu_ticks "${pids[@]}")
  RSS_PEAK=""
  [ "${#pids[@]}" -gt 0 ] && RSS_PEAK=$(rss_sampler_stop)
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    perf report -i "$RAW/perf-$name.data" --no-children --sort dso,symbol --stdio 2>/dev/null |
      grep -v '^$' | head -n 80 >"$RAW/perf-$name.txt" || true
    perf report -i "$RAW/perf-$name.data" --children --sort symbol --stdio -g none 2>/dev/null |
      grep -v '^$' | head -n 80 >"$RAW/perf-$name-children.txt" || true
    log "perf report: $RAW/perf-$name.txt"
  fi
  RESULT=$(grep '^mode=wrk' "$RAW/$name.wrk.txt" || echo "mode=wrk ok=0 rps=0")
  local ok
  ok=$(kv ok "$RESULT")
  CPU_PER_1K="–"
  if [ "${#pids[@]}" -gt 0 ] && [ "${ok:-0}" -gt 0 ]; then
    CPU_PER_1K=$(calc "($c1 - $c0) * 1000 / $CLK_TCK / ($ok / 1000)" 0)
  fi
  echo "$name: $RESULT cpu_ms_per_1k=$CPU_PER_1K" >>"$RAW/summary.txt"
}

rss_cell() { if [ -n "${RSS_PEAK:-}" ]; then mb "$RSS_PEAK"; else echo "–"; fi; }
errs_note() { # appends error counts when there are any
  local non2xx errors unfinished
  non2xx=$(kv non2xx "$RESULT")
  errors=$(kv errors "$RESULT")
  unfinished=$(kv unfinished "$RESULT")
  if [ "${non2xx:-0}" != 0 ] || [ "${errors:-0}" != 0 ] || [ "${unfinished:-0}" != 0 ]; then
    printf '%s; **%s non-2xx, %s errors, %s unanswered/unsent**' "$1" "${non2xx:-0}" "${errors:-0}" "${unfinished:-0}"
  else
    printf '%s' "$1"
  fi
}
rate_row() { # SCENARIO NOTE
  row "$1" "$RATE rps open loop" "$(kv rps "$RESULT")" "$(kv lat_p50 "$RESULT")" \
    "$(kv lat_p90 "$RESULT")" "$(kv lat_p99 "$RESULT")" "$(kv lat_p999 "$RESULT")" \
    "$CPU_PER_1K" "$(rss_cell)" "$(errs_note "$2")"
}
max_row() { # SCENARIO NOTE
  row "$1" "max, $CONNS conns" "$(kv rps "$RESULT")" "$(kv lat_p50 "$RESULT")" \
    "$(kv lat_p90 "$RESULT")" "$(kv lat_p99 "$RESULT")" "$(kv lat_p999 "$RESULT")" \
    "$CPU_PER_1K" "$(rss_cell)" "$(errs_note "$2")"
}
stream_row() { # SCENARIO NOTE
  row "$1" "$STREAM_RATE streams/s" "$(kv rps "$RESULT")" "$(kv lat_p50 "$RESULT")" \
    "$(kv lat_p90 "$RESULT")" "$(kv lat_p99 "$RESULT")" "$(kv lat_p999 "$RESULT")" \
    "$CPU_PER_1K" "$(rss_cell)" \
    "$(errs_note "TTFB p50 $(kv ttfb_p50 "$RESULT") / p99 $(kv ttfb_p99 "$RESULT") ms; $2")"
}

# ---------------------------------------------------------------- scenarios
median() { # KEY FILE → median of KEY=value over the file's lines, "–" if none
  { grep -oE "$1=[0-9.]+" "$2" || true; } | cut -d= -f2 | sort -n |
    awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "–"}'
}

# start_to_ready CONFIG RUNS FRESH(1|0) → READY_MS (median), LISTEN_MS (median)
start_to_ready() {
  local cfg=$1 runs=$2 fresh=$3 dir=$WORK/ready-$3 out
  : >"$RAW/ready-$fresh.txt"
  mkdir -p "$dir"
  for _ in $(seq "$runs"); do
    [ "$fresh" = 1 ] && rm -f "$dir"/tollgate.db*
    out=$(cd "$dir" && "$LOAD" ready -- "${PIN_PROXY[@]}" "$TOLLGATE" --config "$cfg" \
      --host 127.0.0.1 --port 0 2>/dev/null || echo "failed=1")
    echo "$out" >>"$RAW/ready-$fresh.txt"
  done
  READY_MS=$(median ready_ms "$RAW/ready-$fresh.txt")
  LISTEN_MS=$(median listening_ms "$RAW/ready-$fresh.txt")
}

# make_virtual_key ADDR → VKEY (empty and VKEY_NOTE set when the keys API is not there yet)
make_virtual_key() {
  local addr=$1 code team_id="" team_field=""
  VKEY=""
  VKEY_NOTE=""
  code=$(curl -s -o "$WORK/team.json" -w '%{http_code}' -X POST "http://$addr/team/new" \
    -H "Authorization: Bearer $MASTER_KEY" -H 'Content-Type: application/json' \
    -d '{"team_alias":"bench-team","max_budget":1000000,"rpm_limit":100000000,"tpm_limit":100000000000}' || true)
  if [ "$code" = 200 ]; then
    team_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("team_id",""))' \
      "$WORK/team.json" 2>/dev/null || true)
  fi
  [ -n "$team_id" ] && team_field="\"team_id\":\"$team_id\","
  code=$(curl -s -o "$WORK/key.json" -w '%{http_code}' -X POST "http://$addr/key/generate" \
    -H "Authorization: Bearer $MASTER_KEY" -H 'Content-Type: application/json' \
    -d "{$team_field\"key_alias\":\"bench-key\",\"models\":[\"bench\"],\"max_budget\":1000000,\"budget_duration\":\"30d\",\"rpm_limit\":100000000,\"tpm_limit\":100000000000,\"max_parallel_requests\":100000}" || true)
  if [ "$code" = 404 ] || [ "$code" = 405 ]; then
    VKEY_NOTE="not available yet: /key/generate answers $code (keys feature not built)"
    return
  fi
  if [ "$code" != 200 ]; then
    VKEY_NOTE="/key/generate answered $code: $(head -c 120 "$WORK/key.json" | tr '|\n' '/ ')"
    return
  fi
  VKEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"])' "$WORK/key.json" 2>/dev/null || true)
  if [ -z "$VKEY" ]; then VKEY_NOTE="/key/generate returned no key"; return; fi
  if [ -n "$team_id" ]; then
    VKEY_NOTE="virtual key: team, budget, rpm/tpm/parallel limits"
  else
    VKEY_NOTE="virtual key: budget, rpm/tpm/parallel limits (no team: /team/new answered non-200)"
  fi
}

start_nginx() { # UPSTREAM_ADDR → NGINX_PID NGINX_ADDR
  local port
  port=$(free_port)
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream mock { server $1; keepalive 128; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
  "${PIN_PROXY[@]}" "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  NGINX_ADDR=127.0.0.1:$port
  local tries=250
  until curl -s -o /dev/null "http://$NGINX_ADDR/"; do
    tries=$((tries - 1))
    if [ "$tries" = 0 ] || ! kill -0 "$NGINX_PID" 2>/dev/null; then
      log "nginx did not start: $(cat "$WORK/nginx/error.log" "$WORK/nginx/stdout.log" 2>/dev/null | tail -n 5)"
      return 1
    fi
    sleep 0.02
  done
}

start_litellm() { # CONFIG → LL_PID LL_ADDR LL_READY_MS
  local port workers t0 tries=1200
  port=$(free_port)
  workers=1
  [ "${#PIN_PROXY[@]}" -eq 0 ] && workers=$(nproc)
  LL_WORKERS=$workers
  t0=$(date +%s%N)
  LITELLM_LOG=ERROR "${PIN_PROXY[@]}" "$LITELLM" --config "$1" --host 127.0.0.1 --port "$port" \
    --num_workers "$workers" >"$WORK/litellm.log" 2>&1 &
  LL_PID=$!
  PIDS+=("$LL_PID")
  LL_ADDR=127.0.0.1:$port
  until curl -sf -o /dev/null "http://$LL_ADDR/health/liveliness"; do
    tries=$((tries - 1))
    if [ "$tries" = 0 ] || ! kill -0 "$LL_PID" 2>/dev/null; then
      log "LiteLLM did not start: $(tail -n 5 "$WORK/litellm.log")"
      return 1
    fi
    sleep 0.1
  done
  LL_READY_MS=$((($(date +%s%N) - t0) / 1000000))
}

# grpc NAME METHOD DATA KEY PID → row
grpc_row() {
  local name=$1 method=$2 data=$3 key=$4 pid=$5 c0 c1 out
  if [ -z "${GHZ:-}" ]; then
    skip_row "gRPC $method (ghz)" "$RATE rps" "skipped: ghz not installed (needs Go)"
    return
  fi
  # Probe: reflection and the method must both be there.
  if ! "${PIN_LOAD[@]}" "$GHZ" --insecure --call "tollgate.v1.CompletionsService.$method" -d "$data" \
    -m "{\"authorization\":\"Bearer $key\"}" -n 1 -c 1 -O json "$TG_ADDR" >"$RAW/$name.probe.json" 2>&1 ||
    ! grep -q '"OK"' "$RAW/$name.probe.json"; then
    skip_row "gRPC $method (ghz)" "$RATE rps" \
      "not available yet: $(head -c 140 "$RAW/$name.probe.json" | tr '|\n' '/ ')"
    return
  fi
  log "gRPC: $method @ $RATE rps"
  "${PIN_LOAD[@]}" "$GHZ" --insecure --call "tollgate.v1.CompletionsService.$method" -d "$data" \
    -m "{\"authorization\":\"Bearer $key\"}" --rps "$RATE" -c 32 --connections 4 \
    -z "${WARMUP}s" -O json "$TG_ADDR" >/dev/null 2>&1 || true
  c0=$(cpu_ticks "$pid")
  "${PIN_LOAD[@]}" "$GHZ" --insecure --call "tollgate.v1.CompletionsService.$method" -d "$data" \
    -m "{\"authorization\":\"Bearer $key\"}" --rps "$RATE" -c 32 --connections 4 \
    -z "${DURATION}s" -O json "$TG_ADDR" >"$RAW/$name.json" 2>&1 || true
  c1=$(cpu_ticks "$pid")
  out=$(python3 - "$RAW/$name.json" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print("rps=0 ok=0 err=parse"); sys.exit()
p = {d["percentage"]: d["latency"] / 1e6 for d in (r.get("latencyDistribution") or [])}
codes = r.get("statusCodeDistribution") or {}
ok = codes.get("OK", 0)
# Calls cut off when ghz closes its connections at the end of the run are not server errors.
closing = sum(n for msg, n in (r.get("errorDistribution") or {}).items() if "is closing" in msg)
print("rps=%.1f ok=%d bad=%d lat_p50=%.3f lat_p90=%.3f lat_p99=%.3f" % (
    ok / (r["total"] / 1e9), ok, r.get("count", 0) - ok - closing,
    p.get(50, float("nan")), p.get(90, float("nan")), p.get(99, float("nan"))))
EOF
)
  local ok cpu="–"
  ok=$(kv ok "$out")
  [ "${ok:-0}" -gt 0 ] && cpu=$(calc "($c1 - $c0) * 1000 / $CLK_TCK / ($ok / 1000)" 0)
  echo "$name: $out cpu_ms_per_1k=$cpu" >>"$RAW/summary.txt"
  local note="ghz, reflection; p99.9 not reported by ghz"
  [ "$(kv bad "$out")" != 0 ] && note="$note; **$(kv bad "$out") non-OK**"
  row "gRPC $method (ghz)" "$RATE rps" "$(kv rps "$out")" "$(kv lat_p50 "$out")" \
    "$(kv lat_p90 "$out")" "$(kv lat_p99 "$out")" "–" "$cpu" "–" "$note"
}

main() {
  install_tools
  install_litellm
  build
  setup_pinning
  write_bodies
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  local fds
  fds=$(ulimit -n)
  if [ "$fds" != unlimited ] && [ "$fds" -lt $((STREAMS * 2 + 1000)) ]; then
    STREAMS=$(((fds - 1000) / 2))
    log "open-file limit $fds: holding only $STREAMS streams"
  fi

  log "work dir $WORK; $PIN_NOTE"
  start_mock mock
  local mock=$MOCK_ADDR mock_pid=${PIDS[-1]}
  local cfg=$WORK/config.yaml
  write_config "$cfg" "$mock"

  # Start to ready on SQLite, before anything else runs.
  local runs=5
  [ "$QUICK" = 1 ] && runs=2
  start_to_ready "$cfg" "$runs" 1
  local ready_fresh=$READY_MS listen_fresh=$LISTEN_MS
  start_to_ready "$cfg" "$runs" 0
  local ready_warm=$READY_MS

  start_tollgate tollgate "$cfg"
  local tg=$TG_ADDR tg_pid=$TG_PID
  sleep 1
  local rss_idle
  rss_idle=$(rss_kb "$tg_pid")
  check_ok "http://$tg/v1/chat/completions" "$MASTER_KEY" "$CHAT_BODY"
  make_virtual_key "$tg"
  start_nginx "$mock"
  local nginx_pids
  mapfile -t nginx_pids < <(pid_tree "$NGINX_PID")

  local url=/v1/chat/completions
  # 1. Fixed rate.
  fixed_rate direct "http://$mock$url" "" "$CHAT_BODY" "$RATE" "$mock_pid"
  local direct_p50 direct_p99
  direct_p50=$(kv lat_p50 "$RESULT")
  direct_p99=$(kv lat_p99 "$RESULT")
  rate_row "Direct to mock" "CPU/RSS of the mock"
  fixed_rate nginx "http://$NGINX_ADDR$url" "" "$CHAT_BODY" "$RATE" "${nginx_pids[@]}"
  local nginx_p50 nginx_p99
  nginx_p50=$(kv lat_p50 "$RESULT")
  nginx_p99=$(kv lat_p99 "$RESULT")
  rate_row "nginx proxy_pass" "2 workers, keepalive upstream"
  fixed_rate tg_master "http://$tg$url" "$MASTER_KEY" "$CHAT_BODY" "$RATE" "$tg_pid"
  local master_p50 master_p99 master_cpu=$CPU_PER_1K
  master_p50=$(kv lat_p50 "$RESULT")
  master_p99=$(kv lat_p99 "$RESULT")
  rate_row "Tollgate, master key" "SQLite"
  local gov_p50="" gov_p99="" gov_name="master key"
  if [ -n "$VKEY" ]; then
    fixed_rate tg_vkey "http://$tg$url" "$VKEY" "$CHAT_BODY" "$RATE" "$tg_pid"
    gov_p50=$(kv lat_p50 "$RESULT")
    gov_p99=$(kv lat_p99 "$RESULT")
    gov_name="virtual key"
    rate_row "Tollgate, virtual key (full governance)" "SQLite; $VKEY_NOTE"
  else
    skip_row "Tollgate, virtual key (full governance)" "$RATE rps" "$VKEY_NOTE"
  fi

  # 2. Max throughput.
  max_rate direct_max "http://$mock$url" "" "$CHAT_BODY" "$mock_pid"
  max_row "Direct to mock" "ceiling of driver + mock"
  max_rate nginx_max "http://$NGINX_ADDR$url" "" "$CHAT_BODY" "${nginx_pids[@]}"
  local nginx_max
  nginx_max=$(kv rps "$RESULT")
  max_row "nginx proxy_pass" "2 workers"
  PERF_TARGET=tg_master_max
  [ -n "$VKEY" ] && PERF_TARGET=tg_vkey_max
  max_rate tg_master_max "http://$tg$url" "$MASTER_KEY" "$CHAT_BODY" "$tg_pid"
  local master_max rss_load=$RSS_PEAK
  master_max=$(kv rps "$RESULT")
  max_row "Tollgate, master key" "RSS = peak under load"
  local gov_max=""
  if [ -n "$VKEY" ]; then
    max_rate tg_vkey_max "http://$tg$url" "$VKEY" "$CHAT_BODY" "$tg_pid"
    gov_max=$(kv rps "$RESULT")
    rss_load=$RSS_PEAK
    max_row "Tollgate, virtual key (full governance)" "RSS = peak under load"
  else
    skip_row "Tollgate, virtual key (full governance)" "max" "$VKEY_NOTE"
  fi

  # 3. Streaming.
  local saved_rate=$RATE
  RATE=$STREAM_RATE
  fixed_rate direct_stream "http://$mock$url" "" "$STREAM_BODY" "$STREAM_RATE" "$mock_pid"
  stream_row "Streaming, direct" "20 chunks + usage + [DONE]"
  fixed_rate nginx_stream "http://$NGINX_ADDR$url" "" "$STREAM_BODY" "$STREAM_RATE" "${nginx_pids[@]}"
  stream_row "Streaming, nginx" "proxy_buffering off"
  fixed_rate tg_stream "http://$tg$url" "${VKEY:-$MASTER_KEY}" "$STREAM_BODY" "$STREAM_RATE" "$tg_pid"
  stream_row "Streaming, Tollgate" "${gov_name}"
  RATE=$saved_rate

  # 4. gRPC.
  local msg='{"role":"ROLE_USER","text":"Explain in a few sentences what an LLM gateway does."}'
  grpc_row grpc_chat Chat "{\"model\":\"bench\",\"max_tokens\":256,\"messages\":[$msg]}" \
    "${VKEY:-$MASTER_KEY}" "$tg_pid"
  grpc_row grpc_stream ChatStream "{\"request\":{\"model\":\"bench\",\"max_tokens\":256,\"messages\":[$msg]}}" \
    "${VKEY:-$MASTER_KEY}" "$tg_pid"

  sleep 1
  local rss_after
  rss_after=$(rss_kb "$tg_pid")
  stop_pid "$NGINX_PID"
  stop_pid "$tg_pid"

  # 5. Open streams: a fresh gateway, a mock that spaces its 20 chunks 2 s apart (~40 s streams).
  start_mock mock_slow --chunk-interval-ms 2000
  local slow_mock_pid=${PIDS[-1]} cfg_slow=$WORK/config-slow.yaml
  write_config "$cfg_slow" "$MOCK_ADDR"
  start_tollgate tollgate_streams "$cfg_slow"
  local hold_pid=$TG_PID
  sleep 1
  check_ok "http://$TG_ADDR/v1/chat/completions" "$MASTER_KEY" "$CHAT_BODY" || true
  # Its own virtual key: this instance has its own SQLite file.
  local main_vkey=$VKEY main_vkey_note=$VKEY_NOTE hold_key
  make_virtual_key "$TG_ADDR"
  hold_key=${VKEY:-$MASTER_KEY}
  VKEY=$main_vkey VKEY_NOTE=$main_vkey_note
  sleep 0.5
  local rss_before rss_held=0 opened=0 fds_held=0 holder line
  rss_before=$(rss_kb "$hold_pid")
  log "holding $STREAMS open streams"
  "${PIN_LOAD[@]}" "$LOAD" hold --url "http://$TG_ADDR$url" -H "Authorization: Bearer $hold_key" \
    --body "@$STREAM_BODY" --streams "$STREAMS" --hold-secs 6 --open-timeout 60 >"$RAW/hold.txt" 2>&1 &
  holder=$!
  PIDS+=("$holder")
  for _ in $(seq 700); do
    grep -q '^opened=' "$RAW/hold.txt" && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.1
  done
  line=$(grep '^opened=' "$RAW/hold.txt" || true)
  opened=$(kv opened "$line")
  for _ in 1 2 3 4; do
    local r
    r=$(rss_kb "$hold_pid")
    [ "$r" -gt "$rss_held" ] && rss_held=$r
    fds_held=$(find "/proc/$hold_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    sleep 1
  done
  wait "$holder" || true
  echo "hold: $line rss_before_kb=$rss_before rss_held_kb=$rss_held fds=$fds_held" >>"$RAW/summary.txt"
  local per_stream="–"
  [ "${opened:-0}" -gt 0 ] && per_stream=$(calc "($rss_held - $rss_before) / $opened" 1)
  row "$STREAMS open streams (Tollgate)" "held" "–" "–" "–" "–" "–" "–" "$(mb "$rss_held")" \
    "opened ${opened:-0} (failed $(kv failed "$line")) in $(kv open_ms "$line") ms; ${per_stream} kB/stream over $(mb "$rss_before") MB before; $fds_held fds"
  stop_pid "$hold_pid"
  stop_pid "$slow_mock_pid"

  row "Tollgate idle" "–" "–" "–" "–" "–" "–" "–" "$(mb "$rss_idle")" \
    "fresh after start; $(mb "$rss_after") MB idle after the load above"
  row "Tollgate start to ready (SQLite)" "median of $runs" "–" "–" "–" "–" "–" "–" "–" \
    "fresh DB: ${ready_fresh} ms (listening ${listen_fresh} ms); existing DB: ${ready_warm} ms"

  # 6. Optional: virtual key on PostgreSQL + Redis.
  if [ -n "${BENCH_DATABASE_URL:-}" ] && [ -n "${BENCH_REDIS_URL:-}" ]; then
    local cfg_pg=$WORK/config-pg.yaml
    write_config "$cfg_pg" "$mock" "  database_url: \"$BENCH_DATABASE_URL\"
router_settings:
  redis_url: \"$BENCH_REDIS_URL\""
    start_tollgate tollgate_pg "$cfg_pg"
    make_virtual_key "$TG_ADDR"
    if [ -n "$VKEY" ]; then
      fixed_rate tg_pg "http://$TG_ADDR$url" "$VKEY" "$CHAT_BODY" "$RATE" "$TG_PID"
      rate_row "Tollgate, virtual key, PostgreSQL + Redis" "$VKEY_NOTE"
      max_rate tg_pg_max "http://$TG_ADDR$url" "$VKEY" "$CHAT_BODY" "$TG_PID"
      max_row "Tollgate, virtual key, PostgreSQL + Redis" ""
    else
      skip_row "Tollgate, virtual key, PostgreSQL + Redis" "–" "$VKEY_NOTE"
    fi
    stop_pid "$TG_PID"
  else
    skip_row "Tollgate, virtual key, PostgreSQL + Redis" "–" "not run: set BENCH_DATABASE_URL and BENCH_REDIS_URL"
  fi

  # 7. LiteLLM, same config, same mock, no database (master key only).
  local ll_max="" ll_low_p50="–" ll_low_p99="–" ll_cpu=1
  if [ -n "$LITELLM" ] && start_litellm "$cfg"; then
    local ll_pids
    sleep 2
    ll_pids=$(pid_tree "$LL_PID" | tr '\n' ' ')
    local ll_idle
    # shellcheck disable=SC2086
    ll_idle=$(rss_kb $ll_pids)
    if check_ok "http://$LL_ADDR$url" "$MASTER_KEY" "$CHAT_BODY"; then
      local ll_note="$LL_WORKERS worker(s), no DB, LITELLM_LOG=ERROR"
      # shellcheck disable=SC2086
      fixed_rate litellm "http://$LL_ADDR$url" "$MASTER_KEY" "$CHAT_BODY" "$RATE" $ll_pids
      rate_row "LiteLLM $LITELLM_VERSION, master key" "$ll_note"
      local low=$((RATE / 50)) saved=$RATE
      RATE=$low
      # shellcheck disable=SC2086
      fixed_rate litellm_low "http://$LL_ADDR$url" "$MASTER_KEY" "$CHAT_BODY" "$low" $ll_pids
      ll_low_p50=$(kv lat_p50 "$RESULT")
      ll_low_p99=$(kv lat_p99 "$RESULT")
      ll_cpu=$CPU_PER_1K
      rate_row "LiteLLM $LITELLM_VERSION, master key" "$ll_note"
      RATE=$saved
      # shellcheck disable=SC2086
      max_rate litellm_max "http://$LL_ADDR$url" "$MASTER_KEY" "$CHAT_BODY" $ll_pids
      ll_max=$(kv rps "$RESULT")
      max_row "LiteLLM $LITELLM_VERSION, master key" "$ll_note; errors = wrk's 2 s timeouts"
      RATE=$STREAM_RATE
      # shellcheck disable=SC2086
      fixed_rate litellm_stream "http://$LL_ADDR$url" "$MASTER_KEY" "$STREAM_BODY" "$STREAM_RATE" $ll_pids
      stream_row "Streaming, LiteLLM" "$ll_note"
      RATE=$saved
      row "LiteLLM idle / start to ready" "–" "–" "–" "–" "–" "–" "–" "$(mb "$ll_idle")" \
        "ready in $LL_READY_MS ms (process start to /health/liveliness 200)"
    else
      skip_row "LiteLLM $LITELLM_VERSION" "–" "started but a chat request failed (see log)"
    fi
    stop_pid "$LL_PID"
  else
    skip_row "LiteLLM $LITELLM_VERSION" "–" "${LITELLM_SKIP:-did not start}"
  fi

  # ------------------------------------------------------------ summary rows (targets)
  local gp50=${gov_p50:-$master_p50} gp99=${gov_p99:-$master_p99} gmax=${gov_max:-$master_max}
  local add50 add99 verdict ratio
  add50=$(calc "$gp50 - $direct_p50")
  add99=$(calc "$gp99 - $direct_p99")
  verdict=$(awk -v a="$add50" -v b="$add99" 'BEGIN {
    s = (a <= 0.15) ? "p50 met" : sprintf("p50 MISSED by %.3f ms", a - 0.15);
    s = s "; " ((b <= 1.0) ? "p99 met" : sprintf("p99 MISSED by %.3f ms", b - 1.0)); print s }')
  row "**Added latency** Tollgate ($gov_name) − direct" "$RATE rps" "–" "+$add50" "–" "+$add99" "–" "–" "–" \
    "target p50 ≤ 0.15, p99 ≤ 1 ms: $verdict; nginx adds +$(calc "$nginx_p50 - $direct_p50") / +$(calc "$nginx_p99 - $direct_p99")"
  ratio=$(calc "100 * $gmax / $nginx_max" 0)
  row "**Max throughput** Tollgate ($gov_name) / nginx" "max" "$ratio %" "–" "–" "–" "–" "–" "–" \
    "target ≥ 50 %: $(awk -v r="$ratio" 'BEGIN { print (r >= 50) ? "met" : sprintf("MISSED by %d points", 50 - r) }')"
  row "**Memory**" "–" "–" "–" "–" "–" "–" "–" "–" \
    "idle $(mb "$rss_idle") MB (target ≤ 30: $(awk -v k="$rss_idle" 'BEGIN{print (k/1024 <= 30) ? "met" : "MISSED"}')); $STREAMS streams $(mb "$rss_held") MB (target ≤ 200 for 5000: $(awk -v k="$rss_held" 'BEGIN{print (k/1024 <= 200) ? "met" : "MISSED"}')); under load $(mb "${rss_load:-0}") MB"
  row "**Start to ready** (SQLite, fresh DB)" "–" "–" "–" "–" "–" "–" "–" "–" \
    "${ready_fresh} ms (target ≤ 200: $(awk -v t="$ready_fresh" 'BEGIN{print (t+0 <= 200) ? "met" : "MISSED"}'))"
  if [ -n "$ll_max" ]; then
    row "**vs LiteLLM** (master key, no DB)" "–" "$(calc "$master_max / $ll_max" 1)× rps" "–" "–" "–" "–" \
      "$(calc "$ll_cpu / $master_cpu" 0)× less CPU" "–" \
      "LiteLLM p50 / p99 ${ll_low_p50} / ${ll_low_p99} ms at $((RATE / 50)) rps vs Tollgate ${master_p50} / ${master_p99} ms at $RATE rps; CPU per 1k: LiteLLM ${ll_cpu} ms, Tollgate ${master_cpu} ms"
  fi

  # ------------------------------------------------------------ output
  echo
  echo "_Tollgate bench, $(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; $PIN_NOTE; latency = ms from the intended send time (open loop) or from send (wrk)._"
  echo
  echo "| Scenario | Load | Throughput (rps) | p50 ms | p90 ms | p99 ms | p99.9 ms | CPU ms / 1k req | RSS MB | Notes |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
}

main "$@"
