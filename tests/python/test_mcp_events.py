"""What upstream sessions send outside a client's request, and state the hub keeps for clients on
upstream sessions, through the real gateway with the official Python MCP client: resource
subscriptions surviving an upstream restart, resource updates reaching subscribers whoever's call
was running, logs sent outside any call, and a caller's own credentials on `/mcp`'s prompts,
resources and completions."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from mcp.shared.exceptions import McpError
from mcp.types import LoggingMessageNotificationParams, PromptReference, ResourceUpdatedNotification, ServerNotification
from pydantic import AnyUrl

from conftest import MASTER_KEY, Gateway
from mcp_hub import free_port, http_test_server, mcp_session, start_gateway, stdio_entry, wait_for_tools

ALICE = {"x-mcp-remote-authorization": "Bearer alice"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with http_test_server("remote", env={"HUB_TEST_SERVER_CALLER_ITEMS": "1"}) as remote_url, \
            http_test_server("legacy", "sse") as legacy_url:
        config = (
            f"general_settings:\n  master_key: {MASTER_KEY}\n"
            "mcp_servers:\n"
            + stdio_entry("local")
            + f"  remote:\n    url: {remote_url}\n    transport: http\n"
            + f"  legacy:\n    url: {legacy_url}\n    transport: sse\n"
        )
        with start_gateway(config, tmp_path_factory.mktemp("mcp-events")) as gw:
            anyio.run(wait_for_tools, f"{gw.base_url}/mcp", {"local-touch", "remote-touch", "legacy-touch"})
            yield gw


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def updates_into(into: list[str]) -> Any:
    async def on_message(message: Any) -> None:
        if isinstance(message, ServerNotification) and isinstance(message.root, ResourceUpdatedNotification):
            into.append(str(message.root.params.uri))
    return on_message


async def wait_until(condition: Any, seconds: float = 10) -> None:
    with anyio.fail_after(seconds):
        while not condition():
            await anyio.sleep(0.05)


# A client subscribed through /mcp to a stdio server's resource keeps getting its updates after
# the server process died and was restarted: the hub subscribed the new process again.
def test_subscription_survives_upstream_restart(hub: Gateway) -> None:
    updates: list[str] = []

    async def run() -> None:
        url = f"{hub.base_url}/mcp"
        headers = {"x-mcp-servers": "local"}
        async with mcp_session(url, headers=headers, message_handler=updates_into(updates)) as s:
            await s.subscribe_resource(AnyUrl("greeting://ada"))
            first = text_of(await s.call_tool("local-pid", {}))
            with pytest.raises(McpError, match="local"):
                await s.call_tool("local-crash", {})
            deadline = time.monotonic() + 30
            second = first
            while second == first and time.monotonic() < deadline:
                try:
                    second = text_of(await s.call_tool("local-pid", {}))
                except McpError:
                    await anyio.sleep(0.3)
            assert second != first, "the stdio server was not restarted"
            # The new process learns of the subscription right after it connects.
            with anyio.fail_after(10):
                while text_of(await s.call_tool("local-touch", {"uri": "greeting://ada"})) != "subscribed":
                    await anyio.sleep(0.2)
            await wait_until(lambda: updates)
            assert set(updates) == {"greeting://ada"}
            await s.unsubscribe_resource(AnyUrl("greeting://ada"))

    anyio.run(run)


@pytest.mark.parametrize("server", ["local", "legacy"])
# An update a stdio or legacy-SSE server sends while a tool call is running reaches the
# subscribed client, not the client whose call was running (which did not subscribe).
def test_update_during_a_call_reaches_subscribers(hub: Gateway, server: str) -> None:
    subscriber: list[str] = []
    caller: list[str] = []

    async def run() -> None:
        url = f"{hub.base_url}/mcp"
        headers = {"x-mcp-servers": server}
        async with mcp_session(url, headers=headers, message_handler=updates_into(subscriber)) as a, \
                mcp_session(url, headers=headers, message_handler=updates_into(caller)) as b:
            await a.subscribe_resource(AnyUrl("config://app"))
            result = await b.call_tool(f"{server}-touch_now", {"uri": "config://app"})
            assert text_of(result) == "subscribed"
            await wait_until(lambda: subscriber)
            await anyio.sleep(0.3)
            assert subscriber == ["config://app"] and caller == []
            await a.unsubscribe_resource(AnyUrl("config://app"))

    anyio.run(run)


@pytest.mark.parametrize("server", ["local", "remote", "legacy"])
# A log a server sends outside any call reaches /mcp sessions that can see the server, with the
# server named in `logger`, at or above the level the session set.
def test_logs_outside_calls_reach_mcp_sessions(hub: Gateway, server: str) -> None:
    logs: list[LoggingMessageNotificationParams] = []

    async def on_log(params: LoggingMessageNotificationParams) -> None:
        logs.append(params)

    async def run() -> None:
        url = f"{hub.base_url}/mcp"
        async with mcp_session(url, headers={"x-mcp-servers": server}, logging_callback=on_log) as s:
            await s.call_tool(f"{server}-log_later", {"text": "plain"})
            await wait_until(lambda: logs)
            assert (logs[0].data, logs[0].level, logs[0].logger) == ("plain", "info", server)
            await s.call_tool(f"{server}-log_later", {"text": "named", "logger": "db"})
            await wait_until(lambda: len(logs) == 2)
            assert (logs[1].data, logs[1].logger) == ("named", f"{server}-db")
            await s.set_logging_level("error")
            await s.call_tool(f"{server}-log_later", {"text": "quiet", "level": "info"})
            await s.call_tool(f"{server}-log_later", {"text": "loud", "level": "error"})
            await wait_until(lambda: len(logs) == 3)
            await anyio.sleep(0.4)
            assert [log.data for log in logs] == ["plain", "named", "loud"]

    anyio.run(run)


# A session of another server, or narrowed away from it, does not get its logs; /mcp/<server>
# gets them with the server's own logger.
def test_logs_go_only_to_sessions_that_see_the_server(hub: Gateway) -> None:
    on_mcp: list[Any] = []
    on_path: list[Any] = []

    def collect(into: list[Any]) -> Any:
        async def on_log(params: LoggingMessageNotificationParams) -> None:
            into.append(params)
        return on_log

    async def run() -> None:
        base = hub.base_url
        async with mcp_session(f"{base}/mcp", headers={"x-mcp-servers": "remote"},
                               logging_callback=collect(on_mcp)) as other, \
                mcp_session(f"{base}/mcp/local", logging_callback=collect(on_path)) as own:
            del other
            await own.call_tool("log_later", {"text": "hello"})
            await wait_until(lambda: on_path)
            await anyio.sleep(0.4)
            assert [(p.data, p.logger) for p in on_path] == [("hello", None)]
            assert on_mcp == []

    anyio.run(run)


# A caller's own credentials for a server reach it on /mcp's prompts, resources, resource
# templates and completions (its own upstream session), and its subscriptions go through that
# session too; callers without them use the shared session.
def test_own_credentials_on_prompts_and_resources(hub: Gateway) -> None:
    updates: list[str] = []

    async def run() -> None:
        url = f"{hub.base_url}/mcp"
        narrowed = {"x-mcp-servers": "remote"}
        async with mcp_session(url, headers={**narrowed, **ALICE}, message_handler=updates_into(updates)) as s:
            assert {p.name for p in (await s.list_prompts()).prompts} >= {"remote-caller"}
            assert "caller://whoami" in {str(r.uri) for r in (await s.list_resources()).resources}
            read = await s.read_resource(AnyUrl("caller://whoami"))
            assert read.contents[0].text == "Bearer alice"  # type: ignore[union-attr]
            prompt = await s.get_prompt("remote-caller", {"topic": "news"})
            assert prompt.messages[0].content.text == "news for Bearer alice"  # type: ignore[union-attr]
            done = await s.complete(PromptReference(type="ref/prompt", name="remote-caller"),
                                    {"name": "topic", "value": ""})
            assert done.completion.values == ["Bearer alice"]
            templates = {t.uriTemplate for t in (await s.list_resource_templates()).resourceTemplates}
            assert "greeting://{name}" in templates
            await s.subscribe_resource(AnyUrl("config://app"))
            assert text_of(await s.call_tool("remote-touch", {"uri": "config://app"})) == "subscribed"
            await wait_until(lambda: updates)
            assert updates == ["config://app"]
            await s.unsubscribe_resource(AnyUrl("config://app"))
        async with mcp_session(url, headers=narrowed) as s:
            read = await s.read_resource(AnyUrl("caller://whoami"))
            assert read.contents[0].text == "anonymous"  # type: ignore[union-attr]
            prompt = await s.get_prompt("remote-caller", {"topic": "news"})
            assert prompt.messages[0].content.text == "news for anonymous"  # type: ignore[union-attr]

    anyio.run(run)



# The same through streamable HTTP: the server process is replaced (same port, a new process that
# knows no session); the hub re-initialises its session and subscribes it again.
def test_subscription_survives_http_session_reinit(tmp_path: Path) -> None:
    port = free_port()
    updates: list[str] = []
    servers = contextlib.ExitStack()
    with servers:
        url = servers.enter_context(http_test_server("web", port=port))
        config = f"general_settings:\n  master_key: {MASTER_KEY}\nmcp_servers:\n  web:\n    url: {url}\n    transport: http\n"
        with start_gateway(config, tmp_path) as gw:
            anyio.run(wait_for_tools, f"{gw.base_url}/mcp", {"web-touch"})

            async def run() -> None:
                async with mcp_session(f"{gw.base_url}/mcp/web", message_handler=updates_into(updates)) as s:
                    await s.subscribe_resource(AnyUrl("config://app"))
                    servers.close()
                    servers.enter_context(http_test_server("web", port=port))
                    with anyio.fail_after(30):
                        while True:
                            with contextlib.suppress(McpError):
                                if text_of(await s.call_tool("touch", {"uri": "config://app"})) == "subscribed":
                                    break
                            await anyio.sleep(0.3)
                    await wait_until(lambda: updates)
                    # A "not subscribed" touch may still announce if the resubscription lands
                    # within its delay, so count kinds, not announcements.
                    assert set(updates) == {"config://app"}

            anyio.run(run)
