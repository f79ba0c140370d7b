"""The mock provider speaks what the official SDKs accept, so a failure elsewhere is the gateway's.

These tests point the SDKs straight at the mock, with no gateway in between.
"""

from __future__ import annotations

import anthropic
import openai
import pytest

from mock_upstream import (
    ANTHROPIC_KEY,
    ANTHROPIC_TAG,
    COMPLETION_TOKENS,
    EMBEDDING_DIMS,
    OPENAI_KEY,
    OPENAI_TAG,
    PROMPT_TOKENS,
    TOOL_ARGUMENTS,
    MockUpstream,
)


@pytest.fixture(scope="module")
def direct_openai(mock_upstream: MockUpstream) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{mock_upstream.base_url}/v1", api_key=OPENAI_KEY, max_retries=0, timeout=10)


@pytest.fixture(scope="module")
def direct_anthropic(mock_upstream: MockUpstream) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=mock_upstream.base_url, api_key=ANTHROPIC_KEY, max_retries=0, timeout=10)


# Proves the mock's OpenAI stream parses in the SDK and carries text, finish reason and usage.
def test_mock_openai_stream(direct_openai: openai.OpenAI) -> None:
    stream = direct_openai.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "mock stream"}],
        stream=True, stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == f"{OPENAI_TAG} Echo: mock stream"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == COMPLETION_TOKENS


# Proves the mock's base64 embeddings decode in the SDK to the advertised dimension.
def test_mock_openai_embeddings(direct_openai: openai.OpenAI) -> None:
    resp = direct_openai.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert [len(d.embedding) for d in resp.data] == [EMBEDDING_DIMS, EMBEDDING_DIMS]


# Proves the mock's OpenAI tool call parses in the SDK.
def test_mock_openai_tool_call(direct_openai: openai.OpenAI) -> None:
    resp = direct_openai.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "weather?"}],
        tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
    )
    call = resp.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather" and call.function.arguments
    assert resp.choices[0].finish_reason == "tool_calls"


# Proves the mock's Anthropic event stream is the sequence the SDK's accumulator expects.
def test_mock_anthropic_stream(direct_anthropic: anthropic.Anthropic) -> None:
    with direct_anthropic.messages.stream(
        model="claude-3-5-sonnet-20241022", max_tokens=64, messages=[{"role": "user", "content": "mock stream"}],
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == f"{ANTHROPIC_TAG} Echo: mock stream"
    assert final.stop_reason == "end_turn"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)


# Proves the mock's streamed Anthropic tool_use block accumulates into the SDK's parsed input.
def test_mock_anthropic_tool_stream(direct_anthropic: anthropic.Anthropic) -> None:
    with direct_anthropic.messages.stream(
        model="claude-3-5-sonnet-20241022", max_tokens=64, messages=[{"role": "user", "content": "weather?"}],
        tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    assert final.content[0].type == "tool_use" and final.content[0].input == TOOL_ARGUMENTS


# Proves the mock rejects a wrong upstream key as Anthropic does, so key forwarding is really checked.
def test_mock_anthropic_rejects_wrong_key(mock_upstream: MockUpstream) -> None:
    client = anthropic.Anthropic(base_url=mock_upstream.base_url, api_key="sk-wrong", max_retries=0, timeout=10)
    with pytest.raises(anthropic.AuthenticationError):
        client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": "x"}])
