"""The MCP hub through the real gateway, with the official Python MCP SDK on both sides: a test
server over stdio (`local`) and one over streamable HTTP (`remote`), reached through `/mcp` and
`/mcp/<server>`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from mcp.shared.exceptions import McpError
from mcp.types import CreateMessageResult, ElicitResult, TextContent

from conftest import MASTER_KEY, Gateway
from mcp_hub import admin, http_test_server, mcp_session, start_gateway, stdio_entry, wait_for_tools

COST = 0.25


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with http_test_server("remote") as remote_url, http_test_server("legacy", "sse") as legacy_url:
        local_extra = (
            "    disallowed_tools: [secret]\n"
            "    access_groups: [dev-tools]\n"
            f"    mcp_info: {{mcp_server_cost_info: {{default_cost_per_query: {COST}}}}}\n"
        )
        config = (
            f"general_settings:\n  master_key: {MASTER_KEY}\n"
            "mcp_servers:\n"
            + stdio_entry("local", local_extra)
            + f"  remote:\n    url: {remote_url}\n    transport: http\n"
            + f"  legacy:\n    url: {legacy_url}\n    transport: sse\n"
            + stdio_entry("slow", "    timeout: 1.5\n")
        )
        with start_gateway(config, tmp_path_factory.mktemp("mcp-hub")) as gw:
            anyio.run(wait_for_tools, f"{gw.base_url}/mcp", {"local-add", "remote-add", "legacy-add", "slow-add"})
            yield gw


def text_of(result: Any) -> str:
    return "".join(c.text for c in result.content if isinstance(c, TextContent))


def new_key(gw: Gateway, **fields: Any) -> str:
    return str(admin(gw, "/key/generate", fields)["key"])


# Tools of every server appear namespaced on /mcp (minus disallowed ones) and are callable.
def test_tools_are_namespaced_and_routed(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp") as s:
            names = {t.name for t in (await s.list_tools()).tools}
            assert {"local-add", "local-echo", "remote-add", "remote-echo", "remote-secret"} <= names
            assert "local-secret" not in names
            assert text_of(await s.call_tool("local-echo", {"text": "hi"})) == "local: hi"
            assert text_of(await s.call_tool("remote-echo", {"text": "hi"})) == "remote: hi"
            assert text_of(await s.call_tool("legacy-echo", {"text": "hi"})) == "legacy: hi"
            result = await s.call_tool("remote-add", {"a": 2, "b": 3})
            assert result.structuredContent == {"result": 5}

    anyio.run(run)


# /mcp/<server> serves that server alone with its own tool names.
def test_server_path_is_unprefixed(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/local") as s:
            names = {t.name for t in (await s.list_tools()).tools}
            assert {"add", "echo", "countdown"} <= names and "secret" not in names
            assert text_of(await s.call_tool("add", {"a": 1, "b": 1})) == "2"
            with pytest.raises(McpError, match="Unknown tool: secret"):
                await s.call_tool("secret", {})

    anyio.run(run)


# `x-mcp-servers` narrows /mcp to the servers it names.
def test_x_mcp_servers_narrows(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp", headers={"x-mcp-servers": "remote"}) as s:
            names = {t.name for t in (await s.list_tools()).tools}
            assert names and all(n.startswith("remote-") for n in names)

    anyio.run(run)


# No key is a 401; a foreign browser Origin is a 403 (DNS rebinding protection).
def test_auth_and_origin(hub: Gateway) -> None:
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "1"}}}
    accept = {"Accept": "application/json, text/event-stream"}
    r = httpx.post(f"{hub.base_url}/mcp", json=init, headers=accept)
    assert r.status_code == 401
    auth = {**accept, "Authorization": f"Bearer {MASTER_KEY}"}
    r = httpx.post(f"{hub.base_url}/mcp", json=init, headers={**auth, "Origin": "http://evil.example"})
    assert r.status_code == 403
    r = httpx.post(f"{hub.base_url}/mcp", json=init, headers={**auth, "Origin": "http://localhost:3000"})
    assert r.status_code == 200 and r.headers["mcp-session-id"]
    assert r.json()["result"]["protocolVersion"] == "2025-06-18"
    session = {**auth, "mcp-session-id": r.headers["mcp-session-id"]}
    ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
    assert httpx.post(f"{hub.base_url}/mcp", json=ping, headers=session).json()["result"] == {}
    assert httpx.delete(f"{hub.base_url}/mcp", headers=session).status_code == 200
    assert httpx.post(f"{hub.base_url}/mcp", json=ping, headers=session).status_code == 404
    assert httpx.post(f"{hub.base_url}/mcp", json=ping, headers=auth).status_code == 400


# Two teams see and call exactly their own servers and tools; anything else looks unknown.
def test_permission_matrix(hub: Gateway) -> None:
    admin(hub, "/team/new", {"team_id": "mcp-team-a", "object_permission": {"mcp_access_groups": ["dev-tools"]}})
    admin(hub, "/team/new", {"team_id": "mcp-team-b", "object_permission": {
        "mcp_servers": ["remote"], "mcp_tool_permissions": {"remote": ["echo"]}}})
    key_a = new_key(hub, team_id="mcp-team-a")
    key_b = new_key(hub, team_id="mcp-team-b")
    key_none = new_key(hub)

    async def run() -> None:
        url = f"{hub.base_url}/mcp"
        async with mcp_session(url, key_a) as s:
            names = {t.name for t in (await s.list_tools()).tools}
            assert names and all(n.startswith("local-") for n in names)
            assert text_of(await s.call_tool("local-add", {"a": 20, "b": 22})) == "42"
            with pytest.raises(McpError) as forbidden:
                await s.call_tool("remote-echo", {"text": "x"})
            with pytest.raises(McpError) as unknown:
                await s.call_tool("remote-nonexistent", {"text": "x"})
            assert str(forbidden.value) == "Unknown tool: remote-echo"
            assert str(unknown.value) == "Unknown tool: remote-nonexistent"
        async with mcp_session(url, key_b) as s:
            assert [t.name for t in (await s.list_tools()).tools] == ["remote-echo"]
            assert text_of(await s.call_tool("remote-echo", {"text": "b"})) == "remote: b"
            with pytest.raises(McpError, match="Unknown tool: remote-add"):
                await s.call_tool("remote-add", {"a": 1, "b": 2})
        async with mcp_session(url, key_none) as s:
            assert (await s.list_tools()).tools == []
        with pytest.raises(Exception):
            async with mcp_session(f"{hub.base_url}/mcp/remote", key_a):
                pass

    anyio.run(run)


# Tool calls land in the spend logs with their price, and a priced tool counts against the
# key's budget until it is refused.
def test_calls_are_logged_and_priced(hub: Gateway) -> None:
    key = new_key(hub, max_budget=COST * 1.5, object_permission={"mcp_servers": ["local"]})

    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp", key) as s:
            assert text_of(await s.call_tool("local-add", {"a": 1, "b": 2})) == "3"
            with pytest.raises(McpError, match="[Bb]udget"):
                await s.call_tool("local-add", {"a": 1, "b": 2})

    anyio.run(run)
    rows: list[dict[str, Any]] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not rows:
        r = httpx.get(f"{hub.base_url}/spend/logs", params={"api_key": key},
                      headers={"Authorization": f"Bearer {MASTER_KEY}"})
        assert r.status_code == 200, r.text
        rows = r.json()
        time.sleep(0.3)
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["call_type"] == "call_mcp_tool"
    assert row["spend"] == pytest.approx(COST)
    assert row["model_group"] == "local/add"
    assert row["metadata"]["mcp_server_name"] == "local"
    metrics = httpx.get(f"{hub.base_url}/metrics").text
    assert 'tollgate_mcp_tool_calls_total{server="local",tool="add",outcome="success"}' in metrics


# `tool_rpm_limit` (key metadata) limits tool calls per minute.
def test_tool_rpm_limit(hub: Gateway) -> None:
    key = new_key(hub, metadata={"tool_rpm_limit": 2}, object_permission={"mcp_servers": ["remote"]})

    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/remote", key) as s:
            for _ in range(2):
                assert text_of(await s.call_tool("echo", {"text": "x"})) == "remote: x"
            with pytest.raises(McpError, match="tool_rpm_limit"):
                await s.call_tool("echo", {"text": "x"})

    anyio.run(run)


@pytest.mark.parametrize("server", ["local", "remote", "legacy"])
# Progress and log notifications of a call reach the calling client (stdio and HTTP upstreams).
def test_progress_and_logging_pass_through(hub: Gateway, server: str) -> None:
    progress: list[float] = []
    logs: list[str] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async def on_log(params: Any) -> None:
        logs.append(str(params.data))

    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/{server}", logging_callback=on_log) as s:
            result = await s.call_tool("countdown", {"steps": 3}, progress_callback=on_progress)
            assert text_of(result) == "counted 3"

    anyio.run(run)
    assert progress == [1, 2, 3]
    assert logs == ["step 1 of 3", "step 2 of 3", "step 3 of 3"]


@pytest.mark.parametrize("server", ["local", "remote", "legacy"])
# Sampling and elicitation requests of an upstream are answered by the calling client.
def test_sampling_and_elicitation_pass_through(hub: Gateway, server: str) -> None:
    async def sampling(context: Any, params: Any) -> CreateMessageResult:
        question = params.messages[0].content.text
        return CreateMessageResult(role="assistant", model="test-llm",
                                   content=TextContent(type="text", text=f"42 ({question})"))

    async def elicitation(context: Any, params: Any) -> ElicitResult:
        assert "Really delete?" in params.message
        return ElicitResult(action="accept", content={"ok": True})

    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/{server}", sampling_callback=sampling,
                               elicitation_callback=elicitation) as s:
            answer = await s.call_tool("ask_llm", {"question": "meaning?"})
            assert text_of(answer) == "llm said: 42 (meaning?)"
            confirmed = await s.call_tool("confirm", {"action": "delete"})
            assert text_of(confirmed) == "delete: confirmed"

    anyio.run(run)


# Resources, templates and prompts pass through /mcp/<server> unchanged.
def test_resources_and_prompts_pass_through(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/local") as s:
            resources = await s.list_resources()
            assert [str(r.uri) for r in resources.resources] == ["config://app"]
            read = await s.read_resource("config://app")
            assert read.contents[0].text == "mode=test"  # type: ignore[union-attr]
            templates = await s.list_resource_templates()
            assert templates.resourceTemplates[0].uriTemplate == "greeting://{name}"
            greeting = await s.read_resource("greeting://ada")
            assert greeting.contents[0].text == "Hello, ada!"  # type: ignore[union-attr]
            prompt = await s.get_prompt("review", {"code": "x = 1"})
            assert "Review this python code" in prompt.messages[0].content.text  # type: ignore[union-attr]

    anyio.run(run)


# /mcp gathers prompts (namespaced) and resources (URIs unchanged) from the servers it shows.
def test_prompts_and_resources_aggregated(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp", headers={"x-mcp-servers": "local,remote"}) as s:
            prompts = {p.name for p in (await s.list_prompts()).prompts}
            assert prompts == {"local-review", "remote-review"}
            prompt = await s.get_prompt("remote-review", {"code": "y = 2", "language": "rust"})
            assert "Review this rust code" in prompt.messages[0].content.text  # type: ignore[union-attr]
            uris = [str(r.uri) for r in (await s.list_resources()).resources]
            assert uris == ["config://app", "config://app"]
            read = await s.read_resource("greeting://bob")
            assert read.contents[0].text == "Hello, bob!"  # type: ignore[union-attr]
            with pytest.raises(McpError, match="Unknown prompt: nowhere-review"):
                await s.get_prompt("nowhere-review", {"code": ""})

    anyio.run(run)


# A stdio server that dies mid-session fails that call only; it is restarted and the same
# client session goes on with the new process.
def test_stdio_server_restarts(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/local") as s:
            first = text_of(await s.call_tool("pid", {}))
            with pytest.raises(McpError, match="local"):
                await s.call_tool("crash", {})
            deadline = time.monotonic() + 30
            second = first
            while time.monotonic() < deadline:
                try:
                    second = text_of(await s.call_tool("pid", {}))
                    break
                except McpError:
                    await anyio.sleep(0.3)
            assert second != first
            assert "add" in {t.name for t in (await s.list_tools()).tools}

    anyio.run(run)


@pytest.mark.parametrize("server", ["local", "remote"])
# A client's notifications/cancelled reaches the upstream, which stops the call; the client's
# request ends with an error.
def test_cancellation_reaches_upstream(hub: Gateway, server: str, tmp_path: Path) -> None:
    url = f"{hub.base_url}/mcp/{server}"
    headers = {"Authorization": f"Bearer {MASTER_KEY}", "Accept": "application/json, text/event-stream"}
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "1"}}}
    r = httpx.post(url, json=init, headers=headers)
    headers["mcp-session-id"] = r.headers["mcp-session-id"]
    httpx.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
    marker = tmp_path / "marker"
    call = {"jsonrpc": "2.0", "id": 7, "method": "tools/call",
            "params": {"name": "wait_for_cancel", "arguments": {"marker": str(marker)}}}
    answer: dict[str, Any] = {}

    def call_tool() -> None:
        with httpx.stream("POST", url, json=call, headers=headers, timeout=30) as response:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    answer.update(json.loads(line[len("data: "):]))

    import threading

    worker = threading.Thread(target=call_tool)
    worker.start()
    time.sleep(1.0)
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 7, "reason": "user"}}
    assert httpx.post(url, json=cancel, headers=headers).status_code == 202
    worker.join(timeout=15)
    assert not worker.is_alive()
    assert answer["id"] == 7 and "cancelled" in answer["error"]["message"]
    deadline = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.read_text() == "cancelled"


def _rpc(url: str, headers: dict[str, str], message: dict[str, Any]) -> httpx.Response:
    return httpx.post(url, json=message, headers=headers, timeout=30)


def _result(response: httpx.Response) -> Any:
    """The JSON-RPC result of a JSON or SSE response."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        lines = [line for line in response.text.splitlines() if line.startswith("data: ")]
        return json.loads(lines[-1][len("data: "):])["result"]
    return response.json()["result"]


# A session opened on instance A goes on on instance B (requests alternating between them); an
# id that no instance sealed is unknown everywhere.
def test_session_continues_on_another_instance(tmp_path: Path) -> None:
    config = f"general_settings:\n  master_key: {MASTER_KEY}\nmcp_servers:\n" + stdio_entry("local")
    with start_gateway(config, tmp_path / "a") as a, start_gateway(config, tmp_path / "b") as b:
        for gw in (a, b):
            anyio.run(wait_for_tools, f"{gw.base_url}/mcp", {"local-add"})
        urls = [f"{a.base_url}/mcp", f"{b.base_url}/mcp"]
        headers = {"Authorization": f"Bearer {MASTER_KEY}", "Accept": "application/json, text/event-stream"}
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                           "clientInfo": {"name": "t", "version": "1"}}}
        opened = _rpc(urls[0], headers, init)
        headers["mcp-session-id"] = opened.headers["mcp-session-id"]
        headers["mcp-protocol-version"] = "2025-06-18"
        assert _rpc(urls[1], headers, {"jsonrpc": "2.0", "method": "notifications/initialized"}).status_code == 202
        for i, url in enumerate(urls * 2):
            listed = _result(_rpc(url, headers, {"jsonrpc": "2.0", "id": 10 + i, "method": "tools/list"}))
            assert "local-add" in {t["name"] for t in listed["tools"]}
            call = {"jsonrpc": "2.0", "id": 20 + i, "method": "tools/call",
                    "params": {"name": "local-add", "arguments": {"a": i, "b": 1}}}
            assert _result(_rpc(url, headers, call))["content"][0]["text"] == str(i + 1)
        forged = {**headers, "mcp-session-id": headers["mcp-session-id"][:-4] + "AAA="}
        ping = {"jsonrpc": "2.0", "id": 99, "method": "ping"}
        assert _rpc(urls[1], forged, ping).status_code == 404
        assert httpx.delete(urls[1], headers=headers).status_code == 200
        assert _rpc(urls[1], headers, ping).status_code == 404


# A server slower than its `timeout` gives that call an MCP error; the session goes on.
def test_slow_server_times_out(hub: Gateway, tmp_path: Path) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp/slow") as s:
            started = time.monotonic()
            with pytest.raises(McpError, match="did not answer within 1s"):
                await s.call_tool("wait_for_cancel", {"marker": str(tmp_path / "m")})
            assert time.monotonic() - started < 10
            assert text_of(await s.call_tool("add", {"a": 1, "b": 1})) == "2"

    anyio.run(run)


# `x-mcp-<server>-authorization` reaches that server as the caller's own credentials, in an
# upstream session of its own; callers without it share the server's.
def test_per_user_credentials(hub: Gateway) -> None:
    async def whoami(url: str, tool: str, headers: dict[str, str] | None = None) -> str:
        async with mcp_session(url, headers=headers) as s:
            return text_of(await s.call_tool(tool, {}))

    async def run() -> None:
        base = hub.base_url
        assert await whoami(f"{base}/mcp/remote", "whoami") == "anonymous"
        alice = {"x-mcp-remote-authorization": "Bearer alice"}
        bob = {"x-mcp-remote-authorization": "Bearer bob"}
        assert await whoami(f"{base}/mcp/remote", "whoami", alice) == "Bearer alice"
        assert await whoami(f"{base}/mcp", "remote-whoami", bob) == "Bearer bob"
        assert await whoami(f"{base}/mcp/legacy", "whoami", {"x-mcp-legacy-authorization": "Bearer carol"}) == "Bearer carol"
        assert await whoami(f"{base}/mcp/remote", "whoami") == "anonymous"

    anyio.run(run)
