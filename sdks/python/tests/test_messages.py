"""OpenAI-style dict messages convert to `ChatMessage` field by field (no gateway needed)."""

from __future__ import annotations

import pytest

from tollgate._messages import to_messages
from tollgate.v1 import completions_pb2 as pb


# Text, parts (text, image, other), tool calls and unknown keys land in the right fields.
def test_dict_messages_convert_field_by_field() -> None:
    user, assistant, tool = to_messages([
        {"role": "user", "content": [
            "plain",
            {"type": "text", "text": "look"},
            {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}},
            {"type": "input_audio", "input_audio": {"data": "AAA", "format": "wav"}},
        ], "name": "ann", "cache_control": {"type": "ephemeral"}},
        {"role": "assistant", "content": None,
         "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "content": "42", "tool_call_id": "call_1"},
    ])
    assert user.role == pb.ROLE_USER and user.name == "ann"
    parts = user.parts.parts
    assert [parts[0].text, parts[1].text] == ["plain", "look"]
    assert parts[2].image.url == "https://x/y.png" and parts[2].image.detail == "low"
    assert dict(parts[3].other)["type"] == "input_audio"
    assert dict(user.extra)["cache_control"]["type"] == "ephemeral"
    assert not assistant.HasField("content")
    assert (assistant.tool_calls[0].id, assistant.tool_calls[0].name) == ("call_1", "f")
    assert tool.text == "42" and tool.tool_call_id == "call_1"


# A ChatMessage passes through; an unknown role is refused before any call.
def test_messages_pass_through_and_reject_unknown_roles() -> None:
    msg = pb.ChatMessage(role=pb.ROLE_SYSTEM, text="x")
    assert to_messages([msg])[0] is msg
    with pytest.raises(ValueError, match="unknown message role"):
        to_messages([{"role": "robot", "content": "beep"}])
