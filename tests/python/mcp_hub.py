"""Helpers for the MCP hub tests: start the test MCP server over HTTP, start a gateway with an
`mcp_servers` config, and open an official-SDK client session on `/mcp` or `/mcp/<server>`."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from conftest import _LISTENING, MASTER_KEY, START_TIMEOUT_S, Gateway, _binary, _clean_env

SERVER_SCRIPT = Path(__file__).resolve().parent / "mcp_servers" / "hub_test_server.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def http_test_server(name: str, mode: str = "http", port: int | None = None,
                     env: dict[str, str] | None = None) -> Iterator[str]:
    """The test server over streamable HTTP (`mode` `http`) or legacy SSE (`sse`) on `port` (a free
    one by default), with `env` added to its environment; yields its URL."""
    port = port or free_port()
    env = dict(os.environ, HUB_TEST_SERVER_NAME=name, **(env or {}))
    process = subprocess.Popen([sys.executable, str(SERVER_SCRIPT), mode, str(port)], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"test MCP server did not start (exit code {process.poll()})", pytrace=False)
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}/{'mcp' if mode == 'http' else 'sse'}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def stdio_entry(name: str, extra: str = "") -> str:
    return f"""\
  {name}:
    command: "{sys.executable}"
    args: ["{SERVER_SCRIPT}", "stdio"]
    env: {{HUB_TEST_SERVER_NAME: {name}}}
{extra}"""


@contextlib.contextmanager
def start_gateway(config_text: str, tmp: Path) -> Iterator[Gateway]:
    """The real gateway binary with `config_text`; stopped with SIGTERM at the end."""
    tmp.mkdir(parents=True, exist_ok=True)
    config = tmp / "config.yaml"
    config.write_text(config_text)
    log_path = tmp / "gateway.log"
    env = _clean_env(tmp)
    env["RUST_LOG"] = os.environ.get("TOLLGATE_TEST_RUST_LOG", "info,tollgate_mcp=debug")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(_binary()), "--config", str(config), "--host", "127.0.0.1", "--port", "0"],
            cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    gw = Gateway(base_url="", log_path=log_path, process=process)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not gw.base_url:
        match = _LISTENING.search(gw.log())
        if match:
            gw.base_url = "http://" + match.group(1).rstrip(".,;")
            break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"gateway did not start; its log:\n{gw.log()}", pytrace=False)
        time.sleep(0.05)
    try:
        yield gw
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def admin(gw: Gateway, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(f"{gw.base_url}{path}", json=body, headers={"Authorization": f"Bearer {MASTER_KEY}"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@contextlib.asynccontextmanager
async def mcp_session(url: str, key: str = MASTER_KEY, headers: dict[str, str] | None = None,
                      **callbacks: Any) -> AsyncIterator[ClientSession]:
    """An initialized official-SDK client session on `url`."""
    all_headers = {"Authorization": f"Bearer {key}", **(headers or {})}
    async with create_mcp_http_client(headers=all_headers) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, _):
            async with ClientSession(read, write, **callbacks) as session:
                await session.initialize()
                yield session


async def wait_for_tools(url: str, expected: set[str], key: str = MASTER_KEY, timeout: float = 30) -> list[str]:
    """Polls `tools/list` until every name of `expected` is listed (upstreams start lazily)."""
    deadline = time.monotonic() + timeout
    names: list[str] = []
    while time.monotonic() < deadline:
        async with mcp_session(url, key) as s:
            names = [t.name for t in (await s.list_tools()).tools]
        if expected <= set(names):
            return names
        await _sleep(0.3)
    raise AssertionError(f"tools {expected - set(names)} never appeared; listed: {names}")


async def _sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)
