"""Completions through the SDK against the live gateway: unary chat, streaming chat, embeddings,
models, and the call metadata the gateway reports."""

from __future__ import annotations

from conftest import DEMO_REPLY

from tollgate import Tollgate
from tollgate.v1 import completions_pb2


# A unary chat returns the mock's reply with usage and the gateway's call info.
def test_chat_returns_reply_and_call_info(admin: Tollgate) -> None:
    reply = admin.chat("demo", [{"role": "user", "content": "Hello?"}], max_tokens=50, temperature=0.2)
    assert reply.choices[0].message.text == DEMO_REPLY
    assert reply.choices[0].message.role == completions_pb2.ROLE_ASSISTANT
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage.completion_tokens > 0
    assert reply.call_info.call_id
    assert reply.call_info.model_group == "demo"
    assert reply.call_info.response_cost > 0


# Dict messages with system/user roles, multi-part content and extra params are accepted.
def test_chat_accepts_openai_style_messages(admin: Tollgate) -> None:
    reply = admin.chat(
        "demo",
        [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
        ],
        extra={"metadata": {"source": "sdk-test"}},
    )
    assert reply.choices[0].message.text == DEMO_REPLY


# A streamed chat yields chunks that concatenate to the reply; the first carries call info.
def test_chat_stream_concatenates_to_reply(admin: Tollgate) -> None:
    chunks = list(admin.chat_stream("demo", [{"role": "user", "content": "Hello?"}],
                                    stream_options={"include_usage": True}))
    assert len(chunks) > 1
    assert chunks[0].call_info.call_id
    text = "".join(c.delta.content for chunk in chunks for c in chunk.choices)
    assert text == DEMO_REPLY
    assert chunks[-1].usage.total_tokens > 0


# Leaving a stream early cancels it without error, and the client stays usable.
def test_chat_stream_can_stop_early(admin: Tollgate) -> None:
    stream = admin.chat_stream("demo", [{"role": "user", "content": "Hello?"}])
    first = next(iter(stream))
    assert first.call_info.call_id
    stream.close()
    assert admin.chat("demo", [{"role": "user", "content": "again"}]).choices[0].message.text == DEMO_REPLY


# Embeddings return one vector per input, in order.
def test_embed_returns_one_vector_per_input(admin: Tollgate) -> None:
    response = admin.embed("demo", ["one", "two"])
    assert [e.index for e in response.data] == [0, 1]
    assert all(len(e.values) > 0 for e in response.data)
    assert len(admin.embed("demo", "single").data) == 1


# The model list shows the configured models.
def test_models_list(admin: Tollgate) -> None:
    ids = {m.id for m in admin.models.list()}
    assert {"demo", "limited", "slow"} <= ids
