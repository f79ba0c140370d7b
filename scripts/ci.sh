#!/usr/bin/env bash
# Full CI for Tollgate: installs what is missing (PostgreSQL, Redis), starts throwaway PostgreSQL and
# Redis servers on free loopback ports, then runs every gate in order and stops at the first failure.
# Runs on a fresh clone as root with no stdin (CI=true); also fine on a developer machine.
# Add a gate with one line at the bottom: `step "name" command args...`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DEBIAN_FRONTEND=noninteractive
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
CACHE="${HOME:-/root}/.cache/tollgate-ci"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
VENV="$CACHE/venv"
mkdir -p "$CACHE"

# ---------------------------------------------------------------- step runner
STEPS_DONE=()
CI_START=$SECONDS

# step NAME CMD...: announce, run CMD (a command or a function of this script) with errexit on, time it.
step() {
    local name="$1"; shift
    echo
    echo "==> $name"
    local t0=$SECONDS rc=0
    set +e
    ( set -e; "$@" )
    rc=$?
    set -e
    local dt=$((SECONDS - t0))
    if [ "$rc" -ne 0 ]; then
        echo "!! step '$name' failed (exit $rc) after ${dt}s"
        exit "$rc"
    fi
    echo "<== $name: ok in ${dt}s"
    STEPS_DONE+=("$(printf '%6ss  %s' "$dt" "$name")")
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---------------------------------------------------------------- setup steps
install_system_packages() {
    local want=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
    if [ "${#want[@]}" -eq 0 ]; then
        echo "postgresql and redis-server already installed"
        return 0
    fi
    echo "installing: ${want[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${want[@]}" </dev/null
    # The package may start a cluster/daemon of its own; ours run on their own ports, so leave them.
}

SERVICES_DIR=""
PG_BIN=""
PG_DATA=""
REDIS_PORT=""

# Run a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_services() {
    if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$REDIS_PORT" ] && [ -f "$SERVICES_DIR/redis.pid" ]; then
        kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true
    fi
    if [ -n "$SERVICES_DIR" ]; then
        rm -rf "$SERVICES_DIR"
    fi
}

start_services() {
    local initdb
    for initdb in /usr/lib/postgresql/*/bin/initdb; do PG_BIN="$(dirname "$initdb")"; done  # newest major
    SERVICES_DIR="$(mktemp -d /tmp/tollgate-ci.XXXXXX)"
    chmod 755 "$SERVICES_DIR"
    PG_DATA="$SERVICES_DIR/pg"
    mkdir -p "$PG_DATA"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_DATA"

    local pg_port
    pg_port="$(free_port)"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust --no-sync -E UTF8 >"$SERVICES_DIR/initdb.log" 2>&1 \
        || { cat "$SERVICES_DIR/initdb.log"; return 1; }
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
        -o "-h 127.0.0.1 -p $pg_port -k $PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"; then
        cat "$PG_DATA/server.log"
        return 1
    fi
    export TOLLGATE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"

    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --dir "$SERVICES_DIR" --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log"
    local i
    for i in $(seq 1 100); do
        if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; then
            break
        fi
        if [ "$i" -eq 100 ]; then
            echo "redis did not answer PING"; cat "$SERVICES_DIR/redis.log"; return 1
        fi
        sleep 0.1
    done
    export TOLLGATE_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/"
    # The fleet tests start private redis-servers of their own; here they must not skip.
    export TOLLGATE_TEST_REQUIRE_REDIS=1

    "$PG_BIN/psql" "$TOLLGATE_TEST_POSTGRES_URL" -Atqc 'select version()'
    echo "TOLLGATE_TEST_POSTGRES_URL=$TOLLGATE_TEST_POSTGRES_URL"
    echo "TOLLGATE_TEST_REDIS_URL=$TOLLGATE_TEST_REDIS_URL"
}

setup_python() {
    local req="$ROOT/tests/python/requirements.txt" stamp="$VENV/.requirements.sha256"
    if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$VENV"  # interpreter moved or upgraded under it
    fi
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    local want
    want="$(sha256sum "$req" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        "$VENV/bin/python" -m pip install -q -r "$req"
        echo "$want" >"$stamp"
    fi
    "$VENV/bin/python" -m pip list --format=freeze | grep -iE '^(pytest|openai|anthropic|httpx)=='
}

show_versions() {
    cargo --version
    rustc --version
    python3 --version
    "$PG_BIN/postgres" --version
    redis-server --version
    echo "CARGO_TARGET_DIR=$CARGO_TARGET_DIR"
}

# buf (protobuf lint) from the npm registry, installed once into the cache.
buf_lint() {
    local dir="$CACHE/node"
    if [ ! -x "$dir/node_modules/.bin/buf" ]; then
        npm install --silent --no-fund --no-audit --prefix "$dir" @bufbuild/buf@1 </dev/null
    fi
    "$dir/node_modules/.bin/buf" --version
    "$dir/node_modules/.bin/buf" lint
}

# ---------------------------------------------------------------- gate steps
python_sdk_tests() {
    local rc=0
    TOLLGATE_BIN="$CARGO_TARGET_DIR/debug/tollgate" "$VENV/bin/python" -m pytest -q tests/python || rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests: the Python suite is broken"
    fi
    return "$rc"
}

# ---------------------------------------------------------------- generated code and SDKs (issue #8)
# The tools are pinned in scripts/gen.sh and installed under $CACHE; Go's module and build caches
# and npm's cache live there too, so a second run on the same machine downloads nothing.
sdk_env() {
    export TOLLGATE_CACHE="$CACHE"
    export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS="${GOFLAGS:-} -modcacherw"
    export npm_config_cache="$CACHE/npm"
    export TOLLGATE_BIN="$CARGO_TARGET_DIR/debug/tollgate"  # the SDK tests start it
    if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
        export PATH="$PATH:/usr/local/go/bin"
    fi
}

sdk_tools() {
    local tool
    for tool in go node npm python3; do
        command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed for the SDKs and is not on PATH"; return 1; }
    done
    go version
    node --version
    scripts/gen.sh tools
}

# sdks/python: strict type check of the package, then pytest against the live gateway.
sdk_python_tests() {
    local rc=0
    (cd sdks/python && "$CACHE/sdk-python-venv/bin/python" -m mypy)
    (cd sdks/python && "$CACHE/sdk-python-venv/bin/python" -m pytest -q) || rc=$?
    [ "$rc" -ne 5 ] || echo "pytest collected no tests: the sdks/python suite is broken"
    return "$rc"
}

sdk_go_tests() {
    cd sdks/go
    test -z "$(gofmt -l tollgate)" || { echo "gofmt: $(gofmt -l tollgate)"; return 1; }
    go vet ./...
    go test -count=1 ./...
}

sdk_typescript_tests() {
    cd sdks/typescript
    npm test
}

# ---------------------------------------------------------------- run
trap stop_services EXIT
trap 'exit 130' INT TERM

step "install system packages" install_system_packages
# Not a subshell: the exported URLs must reach the later steps.
echo
echo "==> start PostgreSQL and Redis"
t0=$SECONDS
start_services
echo "<== start PostgreSQL and Redis: ok in $((SECONDS - t0))s"
STEPS_DONE+=("$(printf '%6ss  %s' "$((SECONDS - t0))" "start PostgreSQL and Redis")")
step "python venv" setup_python
step "versions" show_versions
step "cargo fmt" cargo fmt --all -- --check
step "buf lint" buf_lint
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
step "cargo test (SQLite + PostgreSQL + Redis)" cargo test --workspace
step "build gateway binary" cargo build -p tollgate --bin tollgate
step "python SDK tests" python_sdk_tests
sdk_env
step "SDK tools (pinned, cached)" sdk_tools
step "buf breaking (against HEAD~1)" scripts/gen.sh breaking
step "generated files up to date (scripts/gen.sh)" scripts/gen.sh check
step "sdks/python tests" sdk_python_tests
step "sdks/go tests" sdk_go_tests
step "sdks/typescript tests" sdk_typescript_tests

echo
echo "==> CI passed in $((SECONDS - CI_START))s"
printf '%s\n' "${STEPS_DONE[@]}"
