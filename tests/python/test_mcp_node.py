"""The MCP hub with the Node.js side of the ecosystem: the reference server
`@modelcontextprotocol/server-everything` over stdio, and the official TypeScript SDK client
(`@modelcontextprotocol/sdk`), both installed from npm (pinned) into the CI cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from mcp.types import ImageContent, TextContent

from conftest import MASTER_KEY, Gateway
from mcp_hub import mcp_session, start_gateway, stdio_entry, wait_for_tools

PACKAGES = {"@modelcontextprotocol/sdk": "1.32.2", "@modelcontextprotocol/server-everything": "2026.8.31"}
CLIENT_SCRIPT = Path(__file__).resolve().parent / "mcp_servers" / "ts_client.mjs"


def _installed(prefix: Path) -> bool:
    for name, version in PACKAGES.items():
        manifest = prefix / "node_modules" / name / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text()).get("version") != version:
            return False
    return True


@pytest.fixture(scope="module")
def node_prefix() -> Path:
    """A directory with the pinned npm packages (installed once per machine)."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node and npm are needed for the Node.js MCP tests")
    cache = Path(os.environ.get("TOLLGATE_CACHE", Path.home() / ".cache" / "tollgate-ci"))
    prefix = cache / "mcp-node"
    if not _installed(prefix):
        prefix.mkdir(parents=True, exist_ok=True)
        specs = [f"{name}@{version}" for name, version in PACKAGES.items()]
        subprocess.run(["npm", "install", "--silent", "--no-fund", "--no-audit", "--prefix", str(prefix), *specs],
                       check=True, stdin=subprocess.DEVNULL, timeout=600)
    shutil.copy(CLIENT_SCRIPT, prefix / "ts_client.mjs")
    return prefix


@pytest.fixture(scope="module")
def node_hub(node_prefix: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    everything = node_prefix / "node_modules" / "@modelcontextprotocol" / "server-everything" / "dist" / "index.js"
    config = (
        f"general_settings:\n  master_key: {MASTER_KEY}\n"
        "mcp_servers:\n"
        f"  everything:\n    command: node\n    args: [\"{everything}\", stdio]\n"
        + stdio_entry("local")
    )
    with start_gateway(config, tmp_path_factory.mktemp("mcp-node")) as gw:
        anyio.run(wait_for_tools, f"{gw.base_url}/mcp", {"everything-echo", "local-add"})
        yield gw


def ts_client(prefix: Path, url: str, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(["node", str(prefix / "ts_client.mjs"), url, MASTER_KEY, tool, json.dumps(args)],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# The reference server's tools, text and image results reach the Python client unchanged.
def test_reference_server_through_python_client(node_hub: Gateway) -> None:
    async def run() -> None:
        async with mcp_session(f"{node_hub.base_url}/mcp/everything") as s:
            names = {t.name for t in (await s.list_tools()).tools}
            assert {"echo", "get-sum", "get-tiny-image"} <= names
            total = await s.call_tool("get-sum", {"a": 2, "b": 3})
            assert isinstance(total.content[0], TextContent) and "is 5" in total.content[0].text
            image = await s.call_tool("get-tiny-image", {})
            pictures = [c for c in image.content if isinstance(c, ImageContent)]
            assert pictures and pictures[0].mimeType == "image/png" and pictures[0].data

    anyio.run(run)


# The TypeScript SDK client lists and calls tools through /mcp and /mcp/<server>.
def test_typescript_client(node_hub: Gateway, node_prefix: Path) -> None:
    out = ts_client(node_prefix, f"{node_hub.base_url}/mcp", "everything-echo", {"message": "hi"})
    assert "everything-echo" in out["tools"] and "local-add" in out["tools"]
    assert out["result"]["content"][0]["text"] == "Echo: hi"
    out = ts_client(node_prefix, f"{node_hub.base_url}/mcp/local", "add", {"a": 1, "b": 2})
    assert "add" in out["tools"] and "local-add" not in out["tools"]
    assert out["result"]["content"][0]["text"] == "3"
