"""The aggregated `/mcp` endpoint beyond listings, with the official Python MCP client: resource
subscriptions and their update notifications, completions, the logging level, and items of
servers the caller may not see answering exactly like items that do not exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from mcp.shared.exceptions import McpError
from mcp.types import PromptReference, ResourceTemplateReference, ResourceUpdatedNotification, ServerNotification
from pydantic import AnyUrl

from conftest import MASTER_KEY, Gateway
from mcp_hub import admin, http_test_server, mcp_session, start_gateway, stdio_entry, wait_for_tools


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with http_test_server("remote") as remote_url:
        config = (
            f"general_settings:\n  master_key: {MASTER_KEY}\n"
            "mcp_servers:\n"
            + stdio_entry("local")
            + f"  remote:\n    url: {remote_url}\n    transport: http\n"
        )
        with start_gateway(config, tmp_path_factory.mktemp("mcp-front")) as gw:
            anyio.run(wait_for_tools, f"{gw.base_url}/mcp", {"local-touch", "remote-touch"})
            yield gw


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def only_local_key(gw: Gateway) -> str:
    return str(admin(gw, "/key/generate", {"object_permission": {"mcp_servers": ["local"]}})["key"])


@pytest.mark.parametrize("server", ["local", "remote"])
# A client subscribed through /mcp gets the server's update notification with the URI it
# subscribed to; after unsubscribing it gets none (stdio and HTTP upstreams).
def test_subscribe_and_update_through_mcp(hub: Gateway, server: str) -> None:
    updates: list[str] = []

    async def on_message(message: Any) -> None:
        if isinstance(message, ServerNotification) and isinstance(message.root, ResourceUpdatedNotification):
            updates.append(str(message.root.params.uri))

    async def run() -> None:
        headers = {"x-mcp-servers": server}
        async with mcp_session(f"{hub.base_url}/mcp", headers=headers, message_handler=on_message) as s:
            await s.subscribe_resource(AnyUrl("greeting://ada"))
            assert text_of(await s.call_tool(f"{server}-touch", {"uri": "greeting://ada"})) == "subscribed"
            with anyio.fail_after(10):
                while not updates:
                    await anyio.sleep(0.05)
            assert updates == ["greeting://ada"]
            await s.unsubscribe_resource(AnyUrl("greeting://ada"))
            assert text_of(await s.call_tool(f"{server}-touch", {"uri": "greeting://ada"})) == "not subscribed"
            await anyio.sleep(0.6)
            assert updates == ["greeting://ada"]

    anyio.run(run)


# Two clients share the upstream subscription: one unsubscribing leaves the other subscribed,
# and only subscribers get the update.
def test_subscriptions_are_counted_per_client(hub: Gateway) -> None:
    first: list[str] = []
    second: list[str] = []

    def collector(into: list[str]) -> Any:
        async def on_message(message: Any) -> None:
            if isinstance(message, ServerNotification) and isinstance(message.root, ResourceUpdatedNotification):
                into.append(str(message.root.params.uri))
        return on_message

    async def run() -> None:
        url = f"{hub.base_url}/mcp"
        async with mcp_session(url, message_handler=collector(first)) as a, \
                mcp_session(url, message_handler=collector(second)) as b:
            await a.subscribe_resource(AnyUrl("config://app"))
            await b.subscribe_resource(AnyUrl("config://app"))
            await b.unsubscribe_resource(AnyUrl("config://app"))
            assert text_of(await b.call_tool("remote-touch", {"uri": "config://app"})) == "subscribed"
            with anyio.fail_after(10):
                while not first:
                    await anyio.sleep(0.05)
            await anyio.sleep(0.5)
            assert first == ["config://app"] and second == []

    anyio.run(run)


# Completions on /mcp follow the prefixed prompt name, or the resource template's URI.
def test_completion_through_mcp(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp") as s:
            done = await s.complete(PromptReference(type="ref/prompt", name="remote-review"),
                                    {"name": "language", "value": "r"})
            assert done.completion.values == ["rust"]
            done = await s.complete(ResourceTemplateReference(type="ref/resource", uri="greeting://{name}"),
                                    {"name": "name", "value": "g"})
            assert done.completion.values == ["grace"]

    anyio.run(run)


# A prompt, resource, subscription or completion of a server the key may not see fails exactly
# like one of a server that does not exist.
def test_forbidden_items_look_unknown(hub: Gateway) -> None:
    key = only_local_key(hub)

    async def error_of(call: Any) -> str:
        with pytest.raises(McpError) as failure:
            await call
        return str(failure.value)

    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp", key) as s:
            prompt = {"code": "x"}
            assert await error_of(s.get_prompt("remote-review", prompt)) == "Unknown prompt: remote-review"
            assert await error_of(s.get_prompt("nowhere-review", prompt)) == "Unknown prompt: nowhere-review"
            arg = {"name": "language", "value": ""}
            forbidden = await error_of(s.complete(PromptReference(type="ref/prompt", name="remote-review"), arg))
            unknown = await error_of(s.complete(PromptReference(type="ref/prompt", name="nowhere-review"), arg))
            assert forbidden == "Unknown prompt: remote-review" and unknown == "Unknown prompt: nowhere-review"
            # The key sees `local`, which has the same resources: hide it with x-mcp-servers.
        async with mcp_session(f"{hub.base_url}/mcp", key, headers={"x-mcp-servers": "remote"}) as s:
            uri = AnyUrl("config://app")
            assert await error_of(s.read_resource(uri)) == "Resource not found: config://app"
            assert await error_of(s.subscribe_resource(uri)) == "Resource not found: config://app"
            template = ResourceTemplateReference(type="ref/resource", uri="greeting://{name}")
            assert await error_of(s.complete(template, {"name": "name", "value": ""})) == \
                "Resource not found: greeting://{name}"
        async with mcp_session(f"{hub.base_url}/mcp", MASTER_KEY, headers={"x-mcp-servers": "nowhere"}) as s:
            uri = AnyUrl("config://app")
            assert await error_of(s.read_resource(uri)) == "Resource not found: config://app"
            assert await error_of(s.subscribe_resource(uri)) == "Resource not found: config://app"

    anyio.run(run)


# logging/setLevel on /mcp is accepted (sent to every visible server that offers logging), and
# /mcp's initialize announces subscriptions, completions and logging.
def test_set_level_and_capabilities(hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{hub.base_url}/mcp") as s:
            await s.set_logging_level("warning")

    anyio.run(run)
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "1"}}}
    r = httpx.post(f"{hub.base_url}/mcp", json=init,
                   headers={"Authorization": f"Bearer {MASTER_KEY}", "Accept": "application/json, text/event-stream"})
    capabilities = r.json()["result"]["capabilities"]
    assert capabilities["resources"]["subscribe"] is True
    assert "completions" in capabilities and "logging" in capabilities
