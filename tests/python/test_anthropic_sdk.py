"""The official `anthropic` SDK against the gateway's Messages API, with the mock provider behind it.

Each test runs against `claude-mock` (native Anthropic upstream) and `gpt-mock` (translated to an
OpenAI upstream), and at both base URLs Claude Code users set: `<gateway>` and `<gateway>/anthropic`.
"""

from __future__ import annotations

import anthropic
import httpx
import pytest

from conftest import MASTER_KEY, Gateway
from mock_upstream import (
    ANTHROPIC_KEY,
    ANTHROPIC_TAG,
    COMPLETION_TOKENS,
    OPENAI_KEY,
    OPENAI_TAG,
    PROMPT_TOKENS,
    TOOL_ARGUMENTS,
    MockUpstream,
)

# model name -> (tag of the upstream that must answer, path the gateway must call, upstream model)
UPSTREAMS = {
    "claude-mock": (ANTHROPIC_TAG, "/messages", "claude-3-5-sonnet-20241022"),
    "gpt-mock": (OPENAI_TAG, "/chat/completions", "gpt-4o-mini"),
}
MODELS = pytest.mark.parametrize("model", list(UPSTREAMS))
PREFIXES = pytest.mark.parametrize("prefix", ["", "/anthropic"], ids=["root", "anthropic"])
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def client_for(gateway: Gateway, prefix: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=gateway.base_url + prefix, api_key=MASTER_KEY, max_retries=0, timeout=30)


def assert_upstream_got(mock: MockUpstream, model: str, marker: str) -> None:
    _, path, upstream_model = UPSTREAMS[model]
    sent = mock.find(marker, path)
    assert sent.body["model"] == upstream_model
    if model == "claude-mock":
        assert sent.header("anthropic-version"), "Anthropic upstream called without anthropic-version"
        assert ANTHROPIC_KEY in (sent.header("x-api-key"), (sent.header("authorization") or "").removeprefix("Bearer "))
    else:
        assert sent.header("authorization") == f"Bearer {OPENAI_KEY}"


# Proves messages.create returns the right upstream's reply as an Anthropic message with its usage.
@PREFIXES
@MODELS
def test_messages_create(gateway: Gateway, mock_upstream: MockUpstream, model: str, prefix: str) -> None:
    marker = f"create-{model}-{prefix.strip('/') or 'root'}-61d0"
    msg = client_for(gateway, prefix).messages.create(
        model=model, max_tokens=100, system="be brief", messages=[{"role": "user", "content": marker}])
    tag = UPSTREAMS[model][0]
    assert (msg.type, msg.role) == ("message", "assistant")
    assert [b.type for b in msg.content] == ["text"]
    assert msg.content[0].text == f"{tag} Echo: {marker}"
    assert msg.stop_reason == "end_turn"
    assert (msg.usage.input_tokens, msg.usage.output_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    assert_upstream_got(mock_upstream, model, marker)


# Proves messages.stream yields the upstream text and a final message with stop reason and full usage.
@PREFIXES
@MODELS
def test_messages_stream(gateway: Gateway, mock_upstream: MockUpstream, model: str, prefix: str) -> None:
    marker = f"stream-{model}-{prefix.strip('/') or 'root'}-0b94 and more words"
    with client_for(gateway, prefix).messages.stream(
        model=model, max_tokens=100, messages=[{"role": "user", "content": marker}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    tag = UPSTREAMS[model][0]
    assert text == f"{tag} Echo: {marker}"
    assert final.content[0].text == text
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == COMPLETION_TOKENS
    assert final.usage.input_tokens == PROMPT_TOKENS
    assert_upstream_got(mock_upstream, model, marker)


# Proves the raw stream follows the Messages API event order (start, block start/deltas/stop, delta, stop).
@MODELS
def test_stream_event_order(gateway: Gateway, model: str) -> None:
    events = client_for(gateway, "").messages.create(
        model=model, max_tokens=100, messages=[{"role": "user", "content": "event order"}], stream=True)
    kinds = [e.type for e in events if e.type != "ping"]
    assert kinds[:2] == ["message_start", "content_block_start"]
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(kinds[2:-3]) == {"content_block_delta"}


# Proves tools round-trip through the Messages API: tool_use comes back, the tool_result reaches the upstream.
@MODELS
def test_tool_use_round_trip(gateway: Gateway, model: str) -> None:
    client = client_for(gateway, "")
    messages: list[dict] = [{"role": "user", "content": "weather in Paris?"}]
    first = client.messages.create(model=model, max_tokens=100, messages=messages, tools=[WEATHER_TOOL])
    assert first.stop_reason == "tool_use"
    use = next(b for b in first.content if b.type == "tool_use")
    assert (use.name, use.input) == ("get_weather", TOOL_ARGUMENTS)

    messages.append({"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]})
    messages.append({"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": use.id, "content": "18C and sunny"}]})
    second = client.messages.create(model=model, max_tokens=100, messages=messages, tools=[WEATHER_TOOL])
    assert second.content[0].text == f"{UPSTREAMS[model][0]} tool said: 18C and sunny"


# Proves messages.count_tokens answers a positive input token count for any provider.
@PREFIXES
@MODELS
def test_count_tokens(gateway: Gateway, model: str, prefix: str) -> None:
    count = client_for(gateway, prefix).messages.count_tokens(
        model=model, system="be brief", messages=[{"role": "user", "content": "how many tokens is this?"}])
    assert count.input_tokens > 0


# Proves the `x-api-key` header (Claude Code, older SDKs) is accepted as the gateway key.
def test_x_api_key_header(gateway: Gateway) -> None:
    resp = httpx.post(
        f"{gateway.base_url}/v1/messages",
        headers={"x-api-key": MASTER_KEY, "anthropic-version": "2023-06-01"},
        json={"model": "claude-mock", "max_tokens": 50, "messages": [{"role": "user", "content": "via x-api-key"}]},
        timeout=30,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["content"][0]["text"] == f"{ANTHROPIC_TAG} Echo: via x-api-key"


# Proves a wrong key on the Messages API is a 401 the SDK raises as anthropic.AuthenticationError.
def test_wrong_key_is_authentication_error(gateway: Gateway) -> None:
    client = anthropic.Anthropic(base_url=gateway.base_url, api_key="sk-wrong-key-000000000000000", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as err:
        client.messages.create(model="claude-mock", max_tokens=10, messages=[{"role": "user", "content": "hi"}])
    assert err.value.status_code == 401


# Proves an unknown model on the Messages API is a 400 the SDK raises as anthropic.BadRequestError.
def test_unknown_model_is_bad_request(gateway: Gateway) -> None:
    with pytest.raises(anthropic.BadRequestError) as err:
        client_for(gateway, "").messages.create(
            model="no-such-model", max_tokens=10, messages=[{"role": "user", "content": "hi"}])
    assert err.value.status_code == 400
