"""MCP servers added at runtime (`/mcp/servers`), used with the official Python MCP SDK client:
a streamable-HTTP server and a stdio server added through the admin API are listed and called
through `/mcp` and `/mcp/<server>`, follow an update, and leave on removal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from mcp.types import TextContent

from conftest import MASTER_KEY, Gateway
from mcp_hub import SERVER_SCRIPT, http_test_server, mcp_session, start_gateway, wait_for_tools

AUTH = {"Authorization": f"Bearer {MASTER_KEY}"}


@pytest.fixture(scope="module")
def gw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    config = (
        "environment_variables: {TOLLGATE_SALT_KEY: python-runtime-salt}\n"
        f"general_settings:\n  master_key: {MASTER_KEY}\n"
    )
    with start_gateway(config, tmp_path_factory.mktemp("mcp-runtime")) as gateway:
        yield gateway


def call(gw: Gateway, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.request(method, f"{gw.base_url}{path}", json=body, headers=AUTH, timeout=30)


def text_of(result: Any) -> str:
    return "".join(c.text for c in result.content if isinstance(c, TextContent))


# A streamable-HTTP and a stdio server added at runtime are listed and called by the SDK client.
def test_runtime_servers_through_the_sdk(gw: Gateway) -> None:
    with http_test_server("remote") as remote_url:
        added = call(gw, "POST", "/mcp/servers", {"server_name": "rt", "url": remote_url, "transport": "http"})
        assert added.status_code == 201, added.text
        stdio = {
            "server_name": "rtlocal",
            "transport": "stdio",
            "command": sys.executable,
            "args": [str(SERVER_SCRIPT), "stdio"],
            "env": {"HUB_TEST_SERVER_NAME": "rtlocal"},
        }
        added = call(gw, "POST", "/v1/mcp/server", stdio)
        assert added.status_code == 201, added.text
        assert added.json()["env"] == {"HUB_TEST_SERVER_NAME": "****"}

        async def run() -> None:
            await wait_for_tools(f"{gw.base_url}/mcp", {"rt-echo", "rtlocal-echo"})
            async with mcp_session(f"{gw.base_url}/mcp") as s:
                assert text_of(await s.call_tool("rt-echo", {"text": "hi"})) == "remote: hi"
                assert text_of(await s.call_tool("rtlocal-echo", {"text": "hi"})) == "rtlocal: hi"
            async with mcp_session(f"{gw.base_url}/mcp/rt") as s:
                names = {t.name for t in (await s.list_tools()).tools}
                assert "echo" in names and "rt-echo" not in names

        anyio.run(run)

        health = call(gw, "GET", "/mcp/servers/rtlocal/health").json()
        assert health["healthy"] and health["transport"] == "stdio" and health["tool_count"] > 0

        # An update narrows the tools; a removal takes the server away.
        assert call(gw, "PUT", "/mcp/servers/rt", {"allowed_tools": ["add"]}).status_code == 202
        assert call(gw, "DELETE", "/mcp/servers/rtlocal").status_code == 202

        async def after() -> None:
            deadline = anyio.current_time() + 20
            while True:
                async with mcp_session(f"{gw.base_url}/mcp") as s:
                    names = {t.name for t in (await s.list_tools()).tools}
                if "rt-add" in names and "rt-echo" not in names and not any(n.startswith("rtlocal-") for n in names):
                    return
                assert anyio.current_time() < deadline, names
                await anyio.sleep(0.2)

        anyio.run(after)
        assert call(gw, "DELETE", "/mcp/servers/rt").status_code == 202
