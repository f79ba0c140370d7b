"""The official `openai` SDK against the gateway, with the mock provider behind it."""

from __future__ import annotations

import json

import openai
import pytest

from conftest import DEMO_REPLY, MASTER_KEY, Gateway
from mock_upstream import (
    COMPLETION_TOKENS,
    EMBEDDING_DIMS,
    OPENAI_KEY,
    OPENAI_TAG,
    PROMPT_TOKENS,
    TOOL_ARGUMENTS,
    MockUpstream,
)

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city"],
        },
    },
}


# Proves a non-streamed chat reaches the OpenAI upstream intact (upstream model, upstream key) and its reply, usage and model come back.
def test_chat_non_stream(openai_client: openai.OpenAI, mock_upstream: MockUpstream) -> None:
    marker = "chat-non-stream-7f3a"
    resp = openai_client.chat.completions.create(
        model="gpt-mock",
        messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": marker}],
        temperature=0.2,
        max_tokens=50,
    )
    assert resp.choices[0].message.content == f"{OPENAI_TAG} Echo: {marker}"
    assert resp.choices[0].message.role == "assistant"
    assert resp.choices[0].finish_reason == "stop"
    assert resp.model in {"gpt-mock", "gpt-4o-mini"}
    assert resp.usage is not None
    assert (resp.usage.prompt_tokens, resp.usage.completion_tokens, resp.usage.total_tokens) == (
        PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS)
    sent = mock_upstream.find(marker, "/chat/completions")
    assert sent.body["model"] == "gpt-4o-mini"
    assert sent.header("authorization") == f"Bearer {OPENAI_KEY}"
    assert [m["role"] for m in sent.body["messages"]] == ["system", "user"]
    assert sent.body["temperature"] == 0.2


# Proves a streamed chat arrives as deltas that concatenate to the upstream text, ending with a usage chunk when include_usage is set.
def test_chat_stream_with_usage(openai_client: openai.OpenAI, mock_upstream: MockUpstream) -> None:
    marker = "chat-stream-41c2 with several words"
    stream = openai_client.chat.completions.create(
        model="gpt-mock",
        messages=[{"role": "user", "content": marker}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert len(chunks) > 3, "expected a real stream of several chunks"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == f"{OPENAI_TAG} Echo: {marker}"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["stop"]
    usage_chunks = [c for c in chunks if c.usage is not None]
    assert usage_chunks, "no usage chunk although stream_options.include_usage was set"
    assert usage_chunks[-1] is chunks[-1], "usage must come in the last chunk"
    assert (usage_chunks[-1].usage.prompt_tokens, usage_chunks[-1].usage.completion_tokens) == (
        PROMPT_TOKENS, COMPLETION_TOKENS)
    assert mock_upstream.find(marker, "/chat/completions").body["stream"] is True


# Proves a stream without include_usage still yields the full text and carries no usage chunk to the client.
def test_chat_stream_without_usage(openai_client: openai.OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="gpt-mock", messages=[{"role": "user", "content": "plain-stream-9d1e"}], stream=True)
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == f"{OPENAI_TAG} Echo: plain-stream-9d1e"
    assert all(not c.usage for c in chunks)


# Proves embeddings (the SDK asks for base64 by default) come back decoded, one vector per input, in order.
def test_embeddings(openai_client: openai.OpenAI, mock_upstream: MockUpstream) -> None:
    resp = openai_client.embeddings.create(model="embed-mock", input=["embed-one-5b7e", "embed-two"])
    assert [d.index for d in resp.data] == [0, 1]
    assert [len(d.embedding) for d in resp.data] == [EMBEDDING_DIMS, EMBEDDING_DIMS]
    assert resp.data[0].embedding[:2] == pytest.approx([0.001, 0.011], abs=1e-6)
    assert resp.usage.prompt_tokens == PROMPT_TOKENS
    sent = mock_upstream.find("embed-one-5b7e", "/embeddings")
    assert sent.body["model"] == "text-embedding-3-small"
    assert sent.header("authorization") == f"Bearer {OPENAI_KEY}"


# Proves float-encoded embeddings of the requested dimension pass through.
def test_embeddings_float_dimensions(openai_client: openai.OpenAI) -> None:
    resp = openai_client.embeddings.create(model="embed-mock", input="short", encoding_format="float", dimensions=256)
    assert len(resp.data) == 1 and len(resp.data[0].embedding) == 256


# Proves /v1/models lists every configured model name.
def test_models_list(openai_client: openai.OpenAI) -> None:
    ids = {m.id for m in openai_client.models.list()}
    assert {"gpt-mock", "claude-mock", "embed-mock", "demo"} <= ids


# Proves a model with mock_response answers without any upstream call.
def test_demo_mock_response(openai_client: openai.OpenAI, mock_upstream: MockUpstream) -> None:
    before = len(mock_upstream.requests)
    resp = openai_client.chat.completions.create(model="demo", messages=[{"role": "user", "content": "hi"}])
    assert resp.choices[0].message.content == DEMO_REPLY
    assert len(mock_upstream.requests) == before


# Proves a mock_response model also streams its reply.
def test_demo_mock_response_stream(openai_client: openai.OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="demo", messages=[{"role": "user", "content": "hi"}], stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == DEMO_REPLY


# Proves a wrong key is refused with 401 as openai.AuthenticationError and an OpenAI-shaped error body.
def test_wrong_key_is_authentication_error(gateway: Gateway) -> None:
    client = openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key="sk-wrong-key-000000000000000", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as err:
        client.chat.completions.create(model="gpt-mock", messages=[{"role": "user", "content": "hi"}])
    assert err.value.status_code == 401
    assert isinstance(err.value.body, dict) and err.value.body.get("message")
    assert MASTER_KEY not in str(err.value.body)


# Proves an unknown model is refused with 400 invalid_request_error (what LiteLLM answers), before any upstream call.
def test_unknown_model_is_bad_request(openai_client: openai.OpenAI, mock_upstream: MockUpstream) -> None:
    before = len(mock_upstream.requests)
    with pytest.raises(openai.BadRequestError) as err:
        openai_client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert err.value.status_code == 400
    assert err.value.type == "invalid_request_error"
    assert "no-such-model" in err.value.message
    assert len(mock_upstream.requests) == before


# Proves a tool call round trip: tools reach the upstream, the tool call comes back, and the tool result is forwarded.
def test_tool_call_round_trip(openai_client: openai.OpenAI, mock_upstream: MockUpstream) -> None:
    marker = "tools-round-trip-2e8b"
    messages: list[dict] = [{"role": "user", "content": f"weather in Paris? {marker}"}]
    first = openai_client.chat.completions.create(model="gpt-mock", messages=messages, tools=[WEATHER_TOOL])
    assert first.choices[0].finish_reason == "tool_calls"
    call = first.choices[0].message.tool_calls[0]
    assert (call.id, call.type, call.function.name) == ("call_mock_1", "function", "get_weather")
    assert json.loads(call.function.arguments) == TOOL_ARGUMENTS
    assert mock_upstream.find(marker, "/chat/completions").body["tools"] == [WEATHER_TOOL]

    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "18C and sunny"})
    second = openai_client.chat.completions.create(model="gpt-mock", messages=messages, tools=[WEATHER_TOOL])
    assert second.choices[0].message.content == f"{OPENAI_TAG} tool said: 18C and sunny"
    sent = mock_upstream.find("18C and sunny", "/chat/completions").body["messages"]
    assert sent[1]["tool_calls"][0]["id"] == "call_mock_1"
    assert (sent[2]["role"], sent[2]["tool_call_id"], sent[2]["content"]) == ("tool", "call_mock_1", "18C and sunny")


# Proves a streamed tool call reassembles in the SDK from the gateway's chunks.
def test_tool_call_stream(openai_client: openai.OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="gpt-mock", messages=[{"role": "user", "content": "weather?"}], tools=[WEATHER_TOOL], stream=True)
    name, args, finish = "", "", None
    for chunk in stream:
        if not chunk.choices:
            continue
        for tc in chunk.choices[0].delta.tool_calls or []:
            if tc.function is not None:
                name += tc.function.name or ""
                args += tc.function.arguments or ""
        finish = chunk.choices[0].finish_reason or finish
    assert name == "get_weather"
    assert json.loads(args) == TOOL_ARGUMENTS
    assert finish == "tool_calls"
