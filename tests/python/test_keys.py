"""Virtual keys with the official `openai` SDK: a key generated through LiteLLM's `/key/generate`
calls its allowed models, is refused others with `PermissionDeniedError`, and once blocked gets
`AuthenticationError`."""

from __future__ import annotations

import httpx
import openai
import pytest

from conftest import DEMO_REPLY, MASTER_KEY, Gateway


def _admin(gateway: Gateway, path: str, body: dict) -> dict:
    response = httpx.post(
        f"{gateway.base_url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {MASTER_KEY}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture()
def demo_only_key(gateway: Gateway) -> str:
    return _admin(gateway, "/key/generate", {"models": ["demo"]})["key"]


def _client(gateway: Gateway, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key=key, max_retries=0, timeout=30)


# A generated key calls the model it is allowed.
def test_generated_key_calls_allowed_model(gateway: Gateway, demo_only_key: str) -> None:
    reply = _client(gateway, demo_only_key).chat.completions.create(
        model="demo", messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.choices[0].message.content == DEMO_REPLY


# A model outside the key's list is refused with PermissionDeniedError (403).
def test_forbidden_model_is_permission_denied(gateway: Gateway, demo_only_key: str) -> None:
    with pytest.raises(openai.PermissionDeniedError) as raised:
        _client(gateway, demo_only_key).chat.completions.create(
            model="gpt-mock", messages=[{"role": "user", "content": "hi"}]
        )
    assert "gpt-mock" in str(raised.value)


# The key lists only its models.
def test_models_list_is_filtered(gateway: Gateway, demo_only_key: str) -> None:
    ids = [m.id for m in _client(gateway, demo_only_key).models.list()]
    assert ids == ["demo"]


# A blocked key gets AuthenticationError (401) on its very next request.
def test_blocked_key_is_authentication_error(gateway: Gateway, demo_only_key: str) -> None:
    client = _client(gateway, demo_only_key)
    client.chat.completions.create(model="demo", messages=[{"role": "user", "content": "hi"}])
    _admin(gateway, "/key/block", {"key": demo_only_key})
    with pytest.raises(openai.AuthenticationError) as raised:
        client.chat.completions.create(model="demo", messages=[{"role": "user", "content": "hi"}])
    assert "blocked" in str(raised.value)
