"""An MCP server for the hub tests, built with the official `mcp` SDK (FastMCP).

Run as `python hub_test_server.py stdio`, `python hub_test_server.py http PORT` (streamable HTTP
at `/mcp`) or `python hub_test_server.py sse PORT` (the legacy transport at `/sse`). It exercises
what the hub must pass through: plain tools, a tool that logs and reports progress, tools that ask
the client for sampling and elicitation, a resource and a template, a prompt with arguments, and
`crash` (exits the process, for the restart test); resource subscriptions (`touch` announces an
update of a subscribed resource after the call, `touch_now` during it), a log sent outside any
call (`log_later`) and completions of the prompt's and the template's arguments. With
`HUB_TEST_SERVER_CALLER_ITEMS=1` it also has a resource, a prompt and completions that tell the
Authorization header they were asked with (per-caller credentials).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import anyio

from pydantic import AnyUrl, BaseModel

from mcp.server.fastmcp import Context, FastMCP
from mcp.types import (
    Completion,
    CompletionArgument,
    CompletionContext,
    PromptReference,
    ResourceTemplateReference,
    SamplingMessage,
    TextContent,
)

NAME = os.environ.get("HUB_TEST_SERVER_NAME", "hub-test")
mcp = FastMCP(NAME)


@mcp.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


@mcp.tool()
def echo(text: str) -> str:
    """Echoes the text, prefixed with the server's name."""
    return f"{NAME}: {text}"


@mcp.tool()
def secret() -> str:
    """A tool the config hides (disallowed_tools)."""
    return "nobody should see this"


@mcp.tool()
async def countdown(steps: int, ctx: Context) -> str:
    """Logs and reports progress for each step."""
    for i in range(steps):
        await ctx.info(f"step {i + 1} of {steps}")
        await ctx.report_progress(i + 1, steps, f"step {i + 1}")
    return f"counted {steps}"


@mcp.tool()
async def ask_llm(question: str, ctx: Context) -> str:
    """Asks the client's LLM (sampling) and returns its answer."""
    result = await ctx.session.create_message(
        messages=[SamplingMessage(role="user", content=TextContent(type="text", text=question))],
        max_tokens=50,
    )
    content = result.content
    return f"llm said: {content.text if isinstance(content, TextContent) else content}"


class Confirmation(BaseModel):
    ok: bool


@mcp.tool()
async def confirm(action: str, ctx: Context) -> str:
    """Asks the user (elicitation) to confirm an action."""
    answer = await ctx.elicit(message=f"Really {action}?", schema=Confirmation)
    if answer.action == "accept" and answer.data is not None:
        return f"{action}: {'confirmed' if answer.data.ok else 'refused'}"
    return f"{action}: {answer.action}"


@mcp.tool()
async def wait_for_cancel(marker: str) -> str:
    """Waits until cancelled, then writes `cancelled` to the file `marker`."""
    try:
        await anyio.sleep(30)
        return "not cancelled"
    except anyio.get_cancelled_exc_class():
        # Written under another name and renamed, so a reader never sees an empty file.
        staging = Path(f"{marker}.tmp")
        staging.write_text("cancelled")
        staging.rename(marker)
        raise


@mcp.tool()
def whoami(ctx: Context) -> str:
    """The Authorization header this server received (HTTP transports), else `anonymous`."""
    request = ctx.request_context.request
    if request is None:
        return "stdio"
    return str(request.headers.get("authorization", "anonymous"))


@mcp.tool()
def crash() -> str:
    """Exits the server process at once."""
    os._exit(3)


@mcp.tool()
def pid() -> int:
    """The server's process id (to see restarts)."""
    return os.getpid()


@mcp.resource("config://app")
def app_config() -> str:
    """A static resource."""
    return "mode=test"


@mcp.resource("greeting://{name}")
def greeting(name: str) -> str:
    """A resource template."""
    return f"Hello, {name}!"


@mcp.prompt()
def review(code: str, language: str = "python") -> str:
    """A prompt with arguments."""
    return f"Review this {language} code:\n{code}"


SUBSCRIBED: set[str] = set()


@mcp._mcp_server.subscribe_resource()
async def subscribe(uri: AnyUrl) -> None:
    SUBSCRIBED.add(str(uri))


@mcp._mcp_server.unsubscribe_resource()
async def unsubscribe(uri: AnyUrl) -> None:
    SUBSCRIBED.discard(str(uri))


@mcp.tool()
async def touch(uri: str, ctx: Context) -> str:
    """Announces, a moment after it returns, that the resource `uri` changed (when subscribed)."""
    session = ctx.session

    async def later() -> None:
        await asyncio.sleep(0.2)
        if uri in SUBSCRIBED:
            await session.send_resource_updated(AnyUrl(uri))

    TASKS.add(asyncio.get_running_loop().create_task(later()))
    return "subscribed" if uri in SUBSCRIBED else "not subscribed"


TASKS: set[asyncio.Task[None]] = set()


@mcp.tool()
async def touch_now(uri: str, ctx: Context) -> str:
    """Announces, while the call is running, that the resource `uri` changed (when subscribed)."""
    if uri in SUBSCRIBED:
        await ctx.session.send_resource_updated(AnyUrl(uri))
        return "subscribed"
    return "not subscribed"


@mcp.tool()
async def log_later(text: str, ctx: Context, level: str = "info", logger: str | None = None) -> str:
    """Sends the log `text` a moment after it returns (a log outside any call)."""
    session = ctx.session

    async def later() -> None:
        await asyncio.sleep(0.2)
        await session.send_log_message(level=level, data=text, logger=logger)  # type: ignore[arg-type]

    TASKS.add(asyncio.get_running_loop().create_task(later()))
    return "later"


def caller() -> str:
    """The Authorization header of the request being served (HTTP transports)."""
    request = mcp.get_context().request_context.request
    if request is None:
        return "stdio"
    return str(request.headers.get("authorization", "anonymous"))


if os.environ.get("HUB_TEST_SERVER_CALLER_ITEMS") == "1":
    @mcp.resource("caller://whoami")
    def caller_resource() -> str:
        """The caller's Authorization header."""
        return caller()

    @mcp.prompt(name="caller")
    def caller_prompt(topic: str) -> str:
        """A prompt that names the caller's Authorization header."""
        return f"{topic} for {caller()}"


@mcp.completion()
async def complete(ref: PromptReference | ResourceTemplateReference, argument: CompletionArgument,
                   context: CompletionContext | None) -> Completion | None:
    """Completes the `language` of the `review` prompt and the `name` of `greeting://{name}`."""
    if isinstance(ref, PromptReference) and ref.name == "review" and argument.name == "language":
        values = ["python", "rust", "typescript"]
    elif isinstance(ref, ResourceTemplateReference) and argument.name == "name":
        values = ["ada", "bob", "grace"]
    elif isinstance(ref, PromptReference) and ref.name == "caller":
        values = [caller()]
    else:
        return None
    return Completion(values=[v for v in values if v.startswith(argument.value)])


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "stdio"
    if mode in ("http", "sse"):
        mcp.settings.host = "127.0.0.1"
        mcp.settings.port = int(sys.argv[2])
        mcp.settings.log_level = "WARNING"
        mcp.run(transport="streamable-http" if mode == "http" else "sse")
    else:
        mcp.run(transport="stdio")


if __name__ == "__main__":
    main()
