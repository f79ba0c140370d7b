"""Auth metadata, deadlines and error mapping: gRPC statuses become `TollgateError` subclasses
that carry the gateway's error type, call id and gRPC code."""

from __future__ import annotations

import time
from collections.abc import Callable

import grpc
import pytest

from tollgate import (
    AuthenticationError,
    BudgetExceededError,
    DeadlineExceededError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Tollgate,
    TollgateError,
    UnavailableError,
)

HELLO = [{"role": "user", "content": "Hello?"}]


# The key travels as `authorization` metadata: an unknown key is an AuthenticationError.
def test_unknown_key_is_authentication_error(connect: Callable[..., Tollgate]) -> None:
    with pytest.raises(AuthenticationError) as raised:
        connect("sk-not-a-real-key-0000000000000").chat("demo", HELLO)
    err = raised.value
    assert err.error_type == "authentication_error"
    assert err.code == grpc.StatusCode.UNAUTHENTICATED
    assert err.call_id


# A key limited to other models gets PermissionDeniedError naming the model.
def test_forbidden_model_is_permission_denied(admin: Tollgate, connect: Callable[..., Tollgate]) -> None:
    key = admin.keys.generate(models=["demo"]).key
    with pytest.raises(PermissionDeniedError) as raised:
        connect(key).chat("slow", HELLO)
    assert raised.value.error_type == "permission_denied"
    assert "slow" in raised.value.message


# A key whose budget is spent gets BudgetExceededError before the provider is called.
def test_spent_budget_is_budget_exceeded(admin: Tollgate, connect: Callable[..., Tollgate]) -> None:
    key = admin.keys.generate(max_budget=0.01, spend=0.01).key
    with pytest.raises(BudgetExceededError) as raised:
        connect(key).chat("demo", HELLO)
    assert raised.value.error_type == "budget_exceeded"
    assert raised.value.code == grpc.StatusCode.FAILED_PRECONDITION


# A provider 429 arrives as RateLimitError.
def test_upstream_429_is_rate_limit_error(admin: Tollgate) -> None:
    with pytest.raises(RateLimitError) as raised:
        admin.chat("limited", HELLO)
    assert raised.value.error_type == "rate_limit_error"
    assert raised.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED


# Info on a key that does not exist is NotFoundError; every error is a TollgateError.
def test_unknown_key_info_is_not_found(admin: Tollgate) -> None:
    with pytest.raises(NotFoundError) as raised:
        admin.keys.info("sk-does-not-exist-00000000000000")
    assert isinstance(raised.value, TollgateError)
    assert raised.value.error_type == "not_found"


# A per-call deadline cuts a call to a provider that never answers, quickly.
def test_deadline_exceeded_on_unary_call(admin: Tollgate) -> None:
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as raised:
        admin.chat("slow", HELLO, timeout=0.5)
    assert time.monotonic() - started < 5
    assert raised.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert isinstance(raised.value, TimeoutError)


# The client's default deadline applies to streams as well.
def test_default_deadline_applies_to_streams(connect: Callable[..., Tollgate]) -> None:
    from conftest import MASTER_KEY

    client = connect(MASTER_KEY, timeout=0.5)
    with pytest.raises(DeadlineExceededError):
        list(client.chat_stream("slow", HELLO))


# A gateway that cannot be reached is UnavailableError.
def test_unreachable_gateway_is_unavailable() -> None:
    with Tollgate("127.0.0.1:1", "sk-anything", timeout=5) as client, pytest.raises(UnavailableError):
        client.models.list()
