#!/usr/bin/env bash
# Regenerates every generated file of the repository, byte for byte, with pinned tools:
#   sdks/go/gen/**              protoc-gen-go + protoc-gen-go-grpc (through buf, buf.gen.yaml)
#   sdks/typescript/src/gen/**  protoc-gen-es (through buf, buf.gen.yaml)
#   sdks/python/src/tollgate/v1/*_pb2*.py[i]  grpcio-tools (`python -m grpc_tools.protoc`)
#   openapi/openapi.json        `cargo run -p tollgate --example openapi` (utoipa), from the code
# The tools are installed on first use under $TOLLGATE_CACHE (default ~/.cache/tollgate-ci), never
# globally: buf from npm, the Go plugins with `go install`, protoc-gen-es from
# sdks/typescript/package-lock.json, grpcio-tools from sdks/python/requirements-dev.txt.
# Needs go, node/npm, python3 and cargo on PATH.
#
# Usage: scripts/gen.sh            regenerate everything
#        scripts/gen.sh tools      only install the pinned tools (CI uses them for the SDK tests)
#        scripts/gen.sh check      regenerate, validate openapi.json (OpenAPI 3.1), then fail if any
#                                  generated file differs from git
#        scripts/gen.sh breaking   buf breaking-change check of proto/ against the previous commit
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LC_ALL=C

# ---------------------------------------------------------------- pinned versions
BUF_VERSION=1.75.0
PROTOC_GEN_GO_VERSION=v1.36.12      # google.golang.org/protobuf
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2   # google.golang.org/grpc/cmd/protoc-gen-go-grpc

CACHE="${TOLLGATE_CACHE:-${HOME:-/root}/.cache/tollgate-ci}"
BUF_DIR="$CACHE/tools/buf-$BUF_VERSION"
GO_TOOLS="$CACHE/tools/go-plugins-$PROTOC_GEN_GO_VERSION-$PROTOC_GEN_GO_GRPC_VERSION"
PY_VENV="$CACHE/sdk-python-venv"
TS_DIR="$ROOT/sdks/typescript"
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# sha256 of a file, for "installed from this exact lock file" stamps.
digest() { sha256sum "$1" | cut -d' ' -f1; }

install_buf() {
    if [ ! -x "$BUF_DIR/node_modules/.bin/buf" ]; then
        npm install --silent --no-fund --no-audit --prefix "$BUF_DIR" "@bufbuild/buf@$BUF_VERSION" </dev/null
    fi
}

install_go_plugins() {
    if [ ! -x "$GO_TOOLS/protoc-gen-go" ] || [ ! -x "$GO_TOOLS/protoc-gen-go-grpc" ]; then
        GOBIN="$GO_TOOLS" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
        GOBIN="$GO_TOOLS" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
    fi
}

# sdks/typescript/node_modules, exactly as package-lock.json says (runtime deps, tsc, protoc-gen-es).
install_ts_deps() {
    local stamp="$TS_DIR/node_modules/.tollgate-lock.sha256" want
    want="$(digest "$TS_DIR/package-lock.json")"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        (cd "$TS_DIR" && npm ci --silent --no-fund --no-audit </dev/null)
        echo "$want" >"$stamp"
    fi
}

# One venv for generating, type-checking and testing the Python SDK.
install_python_tools() {
    local req="$ROOT/sdks/python/requirements-dev.txt" stamp="$PY_VENV/.requirements.sha256" want
    if [ -x "$PY_VENV/bin/python" ] && ! "$PY_VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$PY_VENV"  # interpreter moved or upgraded under it
    fi
    [ -x "$PY_VENV/bin/python" ] || python3 -m venv "$PY_VENV"
    want="$(digest "$req")"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        "$PY_VENV/bin/python" -m pip install -q -r "$req"
        echo "$want" >"$stamp"
    fi
}

install_tools() {
    install_buf
    install_go_plugins
    install_ts_deps
    install_python_tools
}

# ---------------------------------------------------------------- generators
# Go and TypeScript through buf; the output trees are replaced whole so deleted protos disappear.
gen_buf() {
    rm -rf sdks/go/gen sdks/typescript/src/gen
    PATH="$GO_TOOLS:$TS_DIR/node_modules/.bin:$PATH" "$BUF_DIR/node_modules/.bin/buf" generate
}

gen_python() {
    local out="sdks/python/src" protos=() file
    local wkt
    wkt="$("$PY_VENV/bin/python" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')"
    find "$out/tollgate/v1" -maxdepth 1 \( -name '*_pb2.py' -o -name '*_pb2.pyi' -o -name '*_pb2_grpc.py' \) -delete
    for file in proto/tollgate/v1/*.proto; do protos+=("${file#proto/}"); done
    "$PY_VENV/bin/python" -m grpc_tools.protoc -I proto -I "$wkt" \
        --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" "${protos[@]}"
}

# The OpenAPI document, from the server's code (written only if it builds).
gen_openapi() {
    mkdir -p openapi
    cargo run -q -p tollgate --example openapi >openapi/openapi.json.tmp || { rm -f openapi/openapi.json.tmp; return 1; }
    mv openapi/openapi.json.tmp openapi/openapi.json
}

generate_all() {
    install_tools
    gen_buf
    gen_python
    gen_openapi
    echo "generated: sdks/go/gen sdks/typescript/src/gen sdks/python/src/tollgate/v1 openapi/openapi.json"
}

# ---------------------------------------------------------------- checks
# Every generated path, as git sees it after regenerating: modified, deleted or new (untracked).
check_drift() {
    local drift
    drift="$(git status --porcelain --untracked-files=all -- sdks openapi)"
    if [ -n "$drift" ]; then
        echo "generated files differ from the committed ones (run scripts/gen.sh and commit them):"
        echo "$drift"
        git --no-pager diff --stat -- sdks openapi
        return 1
    fi
    echo "generated files match the committed ones"
}

# The protos of this commit must not break those of the previous one (buf.yaml `breaking`).
check_breaking() {
    install_buf
    if ! git rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null || ! git cat-file -e 'HEAD~1:buf.yaml' 2>/dev/null; then
        echo "no previous commit with buf.yaml (first commit or shallow clone): nothing to compare"
        return 0
    fi
    "$BUF_DIR/node_modules/.bin/buf" breaking --against '.git#ref=HEAD~1'
    echo "no breaking change against HEAD~1 ($(git rev-parse --short HEAD~1))"
}

# ---------------------------------------------------------------- run
case "${1:-all}" in
    tools)
        install_tools
        ;;
    all)
        generate_all
        ;;
    check)
        generate_all
        "$PY_VENV/bin/openapi-spec-validator" openapi/openapi.json
        check_drift
        ;;
    breaking)
        check_breaking
        ;;
    *)
        echo "usage: $0 [all|tools|check|breaking]" >&2
        exit 2
        ;;
esac
