"""A mock LLM provider for the real-client tests: OpenAI and Anthropic wire formats, stdlib only.

What it does: answers the upstream calls the gateway makes (OpenAI `/v1/chat/completions`,
`/v1/embeddings`, Anthropic `/v1/messages` and `/v1/messages/count_tokens`, each also without
`/v1`), in the providers' real shapes, including their streaming formats. Replies echo the last
user message, prefixed with the provider's tag, so a test can tell that its request arrived intact
and which upstream served it. Every request is recorded (`MockUpstream.requests`).

What it does not: it is not a model. Token counts are fixed constants (`PROMPT_TOKENS`,
`COMPLETION_TOKENS`) so tests can check usage is passed through unchanged.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OPENAI_KEY = "sk-upstream"
ANTHROPIC_KEY = "sk-ant-upstream"
PROMPT_TOKENS = 12
COMPLETION_TOKENS = 5
EMBEDDING_DIMS = 1536
OPENAI_TAG = "[openai]"
ANTHROPIC_TAG = "[anthropic]"
TOOL_ARGUMENTS = {"city": "Paris", "unit": "celsius"}


@dataclass
class Recorded:
    """One request the mock received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class MockUpstream:
    """A running mock provider: `base_url` is `http://127.0.0.1:PORT`."""

    server: ThreadingHTTPServer
    thread: threading.Thread
    requests: list[Recorded] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def find(self, marker: str, path_suffix: str = "") -> Recorded:
        """The last recorded request whose body contains `marker` (and whose path ends so)."""
        with self.lock:
            hits = [
                r
                for r in self.requests
                if marker in json.dumps(r.body) and r.path.endswith(path_suffix)
            ]
        assert hits, f"the mock upstream never received a request containing {marker!r}"
        return hits[-1]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client dropped its connection (e.g. a stream it stopped reading): not a mock bug
        super().handle_error(request, client_address)


def start_mock_upstream() -> MockUpstream:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, name="mock-upstream", daemon=True)
    mock = MockUpstream(server=server, thread=thread)
    server.mock = mock  # type: ignore[attr-defined]
    thread.start()
    return mock


# ---------------------------------------------------------------- request helpers


def _text_of(content: Any) -> str:
    """Plain text of an OpenAI or Anthropic message content (string or list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict):
                if part.get("type") == "text":
                    parts.append(part.get("text", ""))
                elif part.get("type") == "tool_result":
                    parts.append(_text_of(part.get("content", "")))
        return "".join(parts)
    return ""


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return _text_of(message.get("content"))
    return ""


def _pieces(text: str) -> list[str]:
    """Split text into stream deltas whose concatenation is exactly `text`."""
    return re.findall(r"\S+\s*|\s+", text) or [""]


# ---------------------------------------------------------------- OpenAI


def _openai_reply(body: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]] | None]:
    """(text, tool_calls): a tool call when tools are offered and no tool result is present yet."""
    messages = body.get("messages") or []
    if messages and messages[-1].get("role") == "tool":
        return f"{OPENAI_TAG} tool said: {_text_of(messages[-1].get('content'))}", None
    tools = body.get("tools") or []
    if tools:
        name = tools[0].get("function", {}).get("name", "tool")
        call = {
            "id": "call_mock_1",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(TOOL_ARGUMENTS)},
        }
        return None, [call]
    return f"{OPENAI_TAG} Echo: {_last_user_text(messages)}", None


def _openai_usage() -> dict[str, int]:
    return {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": COMPLETION_TOKENS,
        "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
    }


def _openai_chat(body: dict[str, Any]) -> dict[str, Any]:
    text, tool_calls = _openai_reply(body)
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-mock123",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": body.get("model"),
        "system_fingerprint": "fp_mock",
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if tool_calls else "stop",
            }
        ],
        "usage": _openai_usage(),
    }


def _openai_chat_chunks(body: dict[str, Any]) -> list[dict[str, Any]]:
    text, tool_calls = _openai_reply(body)
    base = {
        "id": "chatcmpl-mock123",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": body.get("model"),
        "system_fingerprint": "fp_mock",
    }
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        out = dict(base, choices=[{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}])
        if include_usage:
            out["usage"] = None
        return out

    chunks = [chunk({"role": "assistant", "content": "", "refusal": None})]
    if tool_calls:
        call = tool_calls[0]
        args = call["function"]["arguments"]
        head = {"index": 0, "id": call["id"], "type": "function",
                "function": {"name": call["function"]["name"], "arguments": ""}}
        chunks.append(chunk({"tool_calls": [head]}))
        for i in range(0, len(args), 8):
            chunks.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 8]}}]}))
        chunks.append(chunk({}, "tool_calls"))
    else:
        chunks.extend(chunk({"content": piece}) for piece in _pieces(text or ""))
        chunks.append(chunk({}, "stop"))
    if include_usage:
        chunks.append(dict(base, choices=[], usage=_openai_usage()))
    return chunks


def _openai_embeddings(body: dict[str, Any]) -> dict[str, Any]:
    inputs = body.get("input")
    if isinstance(inputs, str) or (isinstance(inputs, list) and inputs and isinstance(inputs[0], int)):
        inputs = [inputs]
    dims = int(body.get("dimensions") or EMBEDDING_DIMS)
    data = []
    for index, _ in enumerate(inputs or []):
        vector = [round((index + 1) * 0.001 + (j % 7) * 0.01, 6) for j in range(dims)]
        if body.get("encoding_format") == "base64":
            packed = base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode()
            data.append({"object": "embedding", "index": index, "embedding": packed})
        else:
            data.append({"object": "embedding", "index": index, "embedding": vector})
    return {
        "object": "list",
        "data": data,
        "model": body.get("model"),
        "usage": {"prompt_tokens": PROMPT_TOKENS, "total_tokens": PROMPT_TOKENS},
    }


# ---------------------------------------------------------------- Anthropic


def _anthropic_blocks(body: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    content = last.get("content")
    results = [p for p in content if isinstance(p, dict) and p.get("type") == "tool_result"] if isinstance(content, list) else []
    if results:
        return [{"type": "text", "text": f"{ANTHROPIC_TAG} tool said: {_text_of(results[0].get('content', ''))}"}], "end_turn"
    tools = body.get("tools") or []
    if tools:
        block = {"type": "tool_use", "id": "toolu_mock_1", "name": tools[0].get("name", "tool"), "input": TOOL_ARGUMENTS}
        return [block], "tool_use"
    return [{"type": "text", "text": f"{ANTHROPIC_TAG} Echo: {_last_user_text(messages)}"}], "end_turn"


def _anthropic_message(body: dict[str, Any]) -> dict[str, Any]:
    blocks, stop_reason = _anthropic_blocks(body)
    return {
        "id": "msg_mock123",
        "type": "message",
        "role": "assistant",
        "model": body.get("model"),
        "content": blocks,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": PROMPT_TOKENS, "output_tokens": COMPLETION_TOKENS,
                  "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    }


def _anthropic_events(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The event sequence the real Messages API streams."""
    blocks, stop_reason = _anthropic_blocks(body)
    start = _anthropic_message(body)
    start.update(content=[], stop_reason=None,
                 usage={"input_tokens": PROMPT_TOKENS, "output_tokens": 1,
                        "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0})
    events: list[tuple[str, dict[str, Any]]] = [("message_start", {"type": "message_start", "message": start})]
    for index, block in enumerate(blocks):
        if block["type"] == "text":
            events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                   "content_block": {"type": "text", "text": ""}}))
            if index == 0:
                events.append(("ping", {"type": "ping"}))
            for piece in _pieces(block["text"]):
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                                       "delta": {"type": "text_delta", "text": piece}}))
        else:
            events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                   "content_block": dict(block, input={})}))
            if index == 0:
                events.append(("ping", {"type": "ping"}))
            raw = json.dumps(block["input"])
            for i in range(0, len(raw), 8):
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                                                       "delta": {"type": "input_json_delta", "partial_json": raw[i:i + 8]}}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                                     "usage": {"output_tokens": COMPLETION_TOKENS}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def _anthropic_count_tokens(body: dict[str, Any]) -> dict[str, Any]:
    words = len(json.dumps(body.get("messages") or []).split()) + len(json.dumps(body.get("system") or "").split())
    return {"input_tokens": max(1, words)}


# ---------------------------------------------------------------- HTTP plumbing


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-upstream/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # keep pytest output clean; requests are recorded instead

    # -- io

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, payload: Any, extra_headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_chunks(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # -- errors in each provider's shape

    def _openai_error(self, status: int, message: str, kind: str, code: str | None = None) -> None:
        self._send_json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})

    def _anthropic_error(self, status: int, message: str, kind: str) -> None:
        self._send_json(status, {"type": "error", "error": {"type": kind, "message": message}},
                        {"request-id": "req_mock"})

    # -- routing

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._record(None)
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._send_json(200, {"object": "list", "data": [
                {"id": "gpt-4o-mini", "object": "model", "created": 1_700_000_000, "owned_by": "mock"}]})
        else:
            self._openai_error(404, f"no route GET {self.path}", "invalid_request_error", "not_found")

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        raw = self._read_body()
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._record(raw.decode(errors="replace"))
            self._openai_error(400, "body is not JSON", "invalid_request_error")
            return
        self._record(body)
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/v1/chat/completions", "/chat/completions"):
            self._chat(body)
        elif path in ("/v1/embeddings", "/embeddings"):
            if not self._openai_authorized():
                return
            self._send_json(200, _openai_embeddings(body))
        elif path in ("/v1/messages", "/messages"):
            self._messages(body)
        elif path in ("/v1/messages/count_tokens", "/messages/count_tokens"):
            if self._anthropic_authorized():
                self._send_json(200, _anthropic_count_tokens(body))
        else:
            self._openai_error(404, f"no route POST {self.path}", "invalid_request_error", "not_found")

    def _record(self, body: Any) -> None:
        mock: MockUpstream = self.server.mock  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in self.headers.items()}
        with mock.lock:
            mock.requests.append(Recorded(self.command, self.path, headers, body))

    def _openai_authorized(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {OPENAI_KEY}":
            self._openai_error(401, "Incorrect API key provided (mock upstream).", "invalid_request_error", "invalid_api_key")
            return False
        return True

    def _anthropic_authorized(self) -> bool:
        # The real API takes `x-api-key`; current SDKs send `Authorization: Bearer` instead.
        if ANTHROPIC_KEY not in (self.headers.get("x-api-key"), self.headers.get("Authorization", "").removeprefix("Bearer ")):
            self._anthropic_error(401, "invalid x-api-key (mock upstream)", "authentication_error")
            return False
        if not self.headers.get("anthropic-version"):
            self._anthropic_error(400, "anthropic-version: header is required", "invalid_request_error")
            return False
        return True

    def _chat(self, body: dict[str, Any]) -> None:
        if not self._openai_authorized():
            return
        if not body.get("messages"):
            self._openai_error(400, "'messages' is required", "invalid_request_error")
            return
        if not body.get("stream"):
            self._send_json(200, _openai_chat(body))
            return
        self._start_sse()
        for chunk in _openai_chat_chunks(body):
            self._send_chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")
        self._send_chunk(b"data: [DONE]\n\n")
        self._end_chunks()

    def _messages(self, body: dict[str, Any]) -> None:
        if not self._anthropic_authorized():
            return
        if not body.get("messages") or not body.get("max_tokens"):
            self._anthropic_error(400, "messages and max_tokens are required", "invalid_request_error")
            return
        if not body.get("stream"):
            self._send_json(200, _anthropic_message(body), {"request-id": "req_mock"})
            return
        self._start_sse()
        for name, data in _anthropic_events(body):
            self._send_chunk(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self._end_chunks()
