"""Exceptions raised by the Tollgate client: one class per error type of the gateway.

The gateway maps every failure once to a gRPC status and puts its OpenAI error type
(`budget_exceeded`, `rate_limit_error`, ...) in the `x-tollgate-error-type` metadata of the status,
with the call id in `x-tollgate-call-id` and, for limits, `retry-after` seconds. `from_rpc_error`
turns a `grpc.RpcError` into the matching `TollgateError` subclass, chosen by that type when the
gateway sent one and by the gRPC code otherwise (a client-side deadline, an unreachable gateway).
"""

from __future__ import annotations

import grpc

ERROR_TYPE_KEY = "x-tollgate-error-type"
CALL_ID_KEY = "x-tollgate-call-id"
RETRY_AFTER_KEY = "retry-after"


class TollgateError(Exception):
    """A failed call. `error_type` is the gateway's OpenAI error type ("" if it sent none)."""

    def __init__(
        self,
        message: str,
        *,
        code: grpc.StatusCode,
        error_type: str = "",
        call_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.error_type = error_type
        self.call_id = call_id
        self.retry_after = retry_after

    def __str__(self) -> str:
        kind = self.error_type or self.code.name.lower()
        suffix = f" (call id {self.call_id})" if self.call_id else ""
        return f"{kind}: {self.message}{suffix}"


class InvalidRequestError(TollgateError):
    """The request is malformed or names something invalid (`invalid_request_error`)."""


class AuthenticationError(TollgateError):
    """No key, or an unknown, expired or blocked key (`authentication_error`)."""


class PermissionDeniedError(TollgateError):
    """The key may not use this model, route or resource (`permission_denied`)."""


class NotFoundError(TollgateError):
    """The named key, team, model, ... does not exist (`not_found`)."""


class BudgetExceededError(TollgateError):
    """A budget on the call's path cannot take it (`budget_exceeded`)."""


class RateLimitError(TollgateError):
    """A rate limit refused the call (`rate_limit_error`); see `retry_after`."""


class DeadlineExceededError(TollgateError, TimeoutError):
    """The call's deadline passed, on the client or at the gateway (`timeout`)."""


class UpstreamError(TollgateError):
    """The provider failed or could not be reached (`api_error`, `api_connection_error`)."""


class UnavailableError(TollgateError):
    """The gateway cannot serve now or cannot be reached (`service_unavailable`)."""


class InternalError(TollgateError):
    """A bug or infrastructure failure of the gateway (`internal_error`)."""


_BY_TYPE: dict[str, type[TollgateError]] = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_denied": PermissionDeniedError,
    "not_found": NotFoundError,
    "budget_exceeded": BudgetExceededError,
    "rate_limit_error": RateLimitError,
    "timeout": DeadlineExceededError,
    "api_error": UpstreamError,
    "api_connection_error": UpstreamError,
    "service_unavailable": UnavailableError,
    "internal_error": InternalError,
}

_BY_CODE: dict[grpc.StatusCode, type[TollgateError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidRequestError,
    grpc.StatusCode.UNAUTHENTICATED: AuthenticationError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.FAILED_PRECONDITION: BudgetExceededError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: RateLimitError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.INTERNAL: InternalError,
}


def from_rpc_error(err: grpc.RpcError) -> TollgateError:
    """The `TollgateError` for a failed gRPC call."""
    code = grpc.StatusCode.UNKNOWN
    message = str(err)
    metadata: dict[str, str] = {}
    if isinstance(err, grpc.Call):
        code = err.code()
        message = err.details() or code.name
        for key, value in (*(err.initial_metadata() or ()), *(err.trailing_metadata() or ())):
            if isinstance(value, str):
                metadata[key.lower()] = value
    error_type = metadata.get(ERROR_TYPE_KEY, "")
    cls = _BY_TYPE.get(error_type) or _BY_CODE.get(code, TollgateError)
    return cls(
        message,
        code=code,
        error_type=error_type,
        call_id=metadata.get(CALL_ID_KEY),
        retry_after=_seconds(metadata.get(RETRY_AFTER_KEY)),
    )


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
