"""The one place that calls the generated stubs: key metadata, deadlines and error mapping.

Every call carries `authorization: Bearer <key>` metadata and a deadline (the call's `timeout`,
else the client's default; `None` waits forever). A `grpc.RpcError` leaves as a `TollgateError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message

from .errors import from_rpc_error

R = TypeVar("R", bound=Message)

# Sentinel: "use the client's default timeout" (None means "no deadline").
DEFAULT: Any = object()


class Rpc:
    """A channel with the caller's key and default deadline."""

    def __init__(self, channel: grpc.Channel, api_key: str, timeout: float | None) -> None:
        self.channel = channel
        self._metadata = (("authorization", f"Bearer {api_key}"),)
        self._timeout = timeout

    def deadline(self, timeout: float | None) -> float | None:
        return self._timeout if timeout is DEFAULT else timeout

    def unary(
        self,
        method: Callable[..., Any],
        request: Message,
        response_type: type[R],
        timeout: float | None = DEFAULT,
    ) -> R:
        """Calls a unary method; its answer is checked to be `response_type`."""
        try:
            response = method(request, metadata=self._metadata, timeout=self.deadline(timeout))
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None
        if not isinstance(response, response_type):
            raise TypeError(f"expected {response_type.__name__}, got {type(response).__name__}")
        return response

    def stream(
        self,
        method: Callable[..., Any],
        request: Message,
        response_type: type[R],
        timeout: float | None = DEFAULT,
    ) -> Iterator[R]:
        """Calls a server-streaming method; the deadline covers the whole stream. Leaving the
        loop early (break, exception, garbage collection) cancels the call."""
        call = method(request, metadata=self._metadata, timeout=self.deadline(timeout))
        try:
            for item in call:
                if not isinstance(item, response_type):
                    raise TypeError(f"expected {response_type.__name__}, got {type(item).__name__}")
                yield item
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None
        finally:
            call.cancel()
