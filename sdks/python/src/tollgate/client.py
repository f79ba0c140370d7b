"""`Tollgate`: the client. Completions on the client itself, admin APIs under `keys`, `teams`,
`spend` and `models`. Answers are the generated `tollgate.v1` messages (typed by their `.pyi`).

    with Tollgate("localhost:4000", api_key="sk-...") as tg:
        reply = tg.chat("gpt-4o-mini", [{"role": "user", "content": "Hello!"}])
        print(reply.choices[0].message.text)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import grpc

from ._messages import MessageLike, to_messages
from ._rpc import DEFAULT, Rpc
from .admin import Keys, Models, Spend, Teams
from .v1 import completions_pb2 as pb
from .v1 import completions_pb2_grpc

DEFAULT_TIMEOUT_S = 600.0


def _channel(target: str, credentials: grpc.ChannelCredentials | None) -> grpc.Channel:
    """`host:port` (plaintext), `http://host:port`, or `https://host[:port]` (TLS)."""
    options = [("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    if target.startswith("https://"):
        host = target.removeprefix("https://").rstrip("/")
        host = host if ":" in host else f"{host}:443"
        return grpc.secure_channel(host, credentials or grpc.ssl_channel_credentials(), options)
    host = target.removeprefix("http://").rstrip("/")
    if credentials is not None:
        return grpc.secure_channel(host, credentials, options)
    return grpc.insecure_channel(host, options)


class Tollgate:
    """A connection to a Tollgate gateway, authenticated with one key.

    `timeout` is the default deadline of every call in seconds (None: none); each method also
    takes `timeout=`. Failures raise `tollgate.errors.TollgateError` subclasses.
    """

    def __init__(
        self,
        target: str,
        api_key: str,
        *,
        timeout: float | None = DEFAULT_TIMEOUT_S,
        credentials: grpc.ChannelCredentials | None = None,
    ) -> None:
        self._channel = _channel(target, credentials)
        self._rpc = Rpc(self._channel, api_key, timeout)
        self._completions = completions_pb2_grpc.CompletionsServiceStub(self._channel)
        self.keys = Keys(self._rpc)
        self.teams = Teams(self._rpc)
        self.spend = Spend(self._rpc)
        self.models = Models(self._rpc)

    def chat(
        self,
        model: str,
        messages: Sequence[MessageLike],
        *,
        timeout: float | None = DEFAULT,
        extra: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> pb.ChatResponse:
        """One chat completion. `params` are `ChatRequest` fields (`temperature`, `max_tokens`,
        `tools`, ...); `extra` any other OpenAI/provider parameter, as JSON."""
        request = _chat_request(model, messages, extra, params)
        return self._rpc.unary(self._completions.Chat, request, pb.ChatResponse, timeout)

    def chat_stream(
        self,
        model: str,
        messages: Sequence[MessageLike],
        *,
        timeout: float | None = DEFAULT,
        extra: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> Iterator[pb.ChatChunk]:
        """A streamed chat completion: the OpenAI-style chunks, the first carrying `call_info`.
        Stopping the iteration early cancels the call."""
        request = pb.ChatStreamRequest(request=_chat_request(model, messages, extra, params))
        for message in self._rpc.stream(self._completions.ChatStream, request, pb.ChatStreamResponse, timeout):
            yield message.chunk

    def embed(
        self,
        model: str,
        input: str | Sequence[str],
        *,
        timeout: float | None = DEFAULT,
        extra: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> pb.EmbedResponse:
        """Embeddings of one text or several (one vector per input, in order)."""
        texts = [input] if isinstance(input, str) else list(input)
        request = pb.EmbedRequest(model=model, input=texts, **params)
        if extra:
            request.extra.update(dict(extra))
        return self._rpc.unary(self._completions.Embed, request, pb.EmbedResponse, timeout)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Tollgate:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _chat_request(
    model: str,
    messages: Sequence[MessageLike],
    extra: Mapping[str, Any] | None,
    params: Mapping[str, Any],
) -> pb.ChatRequest:
    request = pb.ChatRequest(model=model, messages=to_messages(messages), **params)
    if extra:
        request.extra.update(dict(extra))
    return request
