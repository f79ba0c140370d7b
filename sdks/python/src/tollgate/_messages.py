"""OpenAI-style chat messages (dicts) to `tollgate.v1.ChatMessage`, so callers can write
`{"role": "user", "content": "Hello"}` as they would for the OpenAI SDK.

Handled: `role`, string or list `content` (`text` and `image_url` parts typed, any other part kept
as JSON), `name`, `tool_calls` (`{"id", "function": {"name", "arguments"}}`), `tool_call_id`,
`refusal`, `reasoning_content`; any other key goes to the message's `extra`. A `ChatMessage`
passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from .v1 import completions_pb2 as pb

MessageLike: TypeAlias = "pb.ChatMessage | Mapping[str, Any]"

_ROLES = {
    "system": pb.ROLE_SYSTEM,
    "developer": pb.ROLE_DEVELOPER,
    "user": pb.ROLE_USER,
    "assistant": pb.ROLE_ASSISTANT,
    "tool": pb.ROLE_TOOL,
    "function": pb.ROLE_FUNCTION,
}
_KNOWN = {"role", "content", "name", "tool_calls", "tool_call_id", "refusal", "reasoning_content"}


def to_messages(messages: Sequence[MessageLike]) -> list[pb.ChatMessage]:
    return [m if isinstance(m, pb.ChatMessage) else _message(m) for m in messages]


def _message(raw: Mapping[str, Any]) -> pb.ChatMessage:
    role = raw.get("role", "")
    if role not in _ROLES:
        raise ValueError(f"unknown message role {role!r} (expected one of {', '.join(_ROLES)})")
    msg = pb.ChatMessage(role=_ROLES[role])
    content = raw.get("content")
    if isinstance(content, str):
        msg.text = content
    elif isinstance(content, Sequence):
        msg.parts.parts.extend(_part(p) for p in content)
    elif content is not None:
        raise ValueError("message content must be a string or a list of parts")
    for field in ("name", "tool_call_id", "refusal", "reasoning_content"):
        if raw.get(field) is not None:
            setattr(msg, field, raw[field])
    for call in raw.get("tool_calls") or ():
        function = call.get("function", {})
        msg.tool_calls.add(id=call.get("id", ""), name=function.get("name", ""),
                           arguments=function.get("arguments", ""))
    extra = {k: v for k, v in raw.items() if k not in _KNOWN}
    if extra:
        msg.extra.update(extra)
    return msg


def _part(raw: Mapping[str, Any] | str) -> pb.ContentPart:
    if isinstance(raw, str):
        return pb.ContentPart(text=raw)
    kind = raw.get("type")
    if kind == "text":
        return pb.ContentPart(text=raw.get("text", ""))
    if kind == "image_url":
        image = raw.get("image_url", {})
        image = {"url": image} if isinstance(image, str) else image
        return pb.ContentPart(image=pb.ImagePart(url=image.get("url", ""), detail=image.get("detail")))
    part = pb.ContentPart()
    part.other.update(dict(raw))
    return part
