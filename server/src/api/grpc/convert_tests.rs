use prost_types::Value as ProtoValue;
use prost_types::value::Kind;
use serde_json::json;
use tollgate_proto::tollgate::v1 as pb;

use super::response::response_message;
use super::*;
use crate::pipeline::CallMeta;
use crate::types::openai as oa;

fn struct_of(value: Value) -> Struct {
    match value {
        Value::Object(map) => map_to_struct(map),
        other => panic!("not an object: {other}"),
    }
}

fn text_message(role: pb::Role, text: &str) -> pb::ChatMessage {
    pb::ChatMessage {
        role: role.into(),
        content: Some(pb::chat_message::Content::Text(text.into())),
        ..Default::default()
    }
}

fn meta() -> CallMeta {
    CallMeta {
        call_id: "call-1".into(),
        model_group: "gpt".into(),
        deployment_id: "dep-1".into(),
        api_base: Some("http://upstream/v1".into()),
        response_cost: 0.25,
        cache_hit: false,
        rate_limits: Default::default(),
    }
}

fn full_request() -> pb::ChatRequest {
    let image_parts = pb::ContentParts {
        parts: vec![
            pb::ContentPart {
                part: Some(pb::content_part::Part::Text("What is this?".into())),
            },
            pb::ContentPart {
                part: Some(pb::content_part::Part::Image(pb::ImagePart {
                    url: "https://example.com/cat.png".into(),
                    detail: Some("high".into()),
                })),
            },
            pb::ContentPart {
                part: Some(pb::content_part::Part::Other(struct_of(json!({
                    "type": "input_audio",
                    "input_audio": {"data": "AAAA", "format": "wav"}
                })))),
            },
        ],
    };
    pb::ChatRequest {
        model: "gpt".into(),
        messages: vec![
            text_message(pb::Role::System, "Be brief."),
            pb::ChatMessage {
                role: pb::Role::User.into(),
                content: Some(pb::chat_message::Content::Parts(image_parts)),
                name: Some("ann".into()),
                ..Default::default()
            },
            pb::ChatMessage {
                role: pb::Role::Assistant.into(),
                tool_calls: vec![pb::ToolCall {
                    id: "call_1".into(),
                    name: "weather".into(),
                    arguments: r#"{"city":"Paris"}"#.into(),
                }],
                ..Default::default()
            },
            pb::ChatMessage {
                tool_call_id: Some("call_1".into()),
                extra: Some(struct_of(json!({"cache_control": {"type": "ephemeral"}}))),
                ..text_message(pb::Role::Tool, "18C")
            },
        ],
        temperature: Some(0.5),
        max_completion_tokens: Some(100),
        seed: Some(7),
        stop: vec!["END".into()],
        user: Some("u-1".into()),
        tools: vec![pb::Tool {
            name: "weather".into(),
            description: Some("Weather of a city".into()),
            parameters: Some(struct_of(json!({
                "type": "object",
                "properties": {"city": {"type": "string", "enum": ["Paris", null]}},
                "required": ["city"],
                "minProperties": 1
            }))),
            strict: Some(true),
        }],
        tool_choice: Some(pb::ToolChoice {
            choice: Some(pb::tool_choice::Choice::FunctionName("weather".into())),
        }),
        parallel_tool_calls: Some(false),
        response_format: Some(pb::ResponseFormat {
            r#type: "json_schema".into(),
            json_schema: Some(struct_of(
                json!({"name": "w", "schema": {"type": "object"}}),
            )),
        }),
        stream_options: Some(pb::StreamOptions {
            include_usage: Some(true),
        }),
        extra: Some(struct_of(json!({"reasoning_effort": "low", "top_p": 0.9}))),
        ..Default::default()
    }
}

// A request with tools, images, other parts, tool calls and tool results becomes exactly the
// OpenAI JSON a client would have sent; known keys in `extra` land in their typed fields.
#[test]
fn full_chat_request_becomes_openai_json() {
    let req = chat_request(full_request(), true).unwrap();
    assert_eq!(req.top_p, Some(0.9), "`top_p` from extra is typed");
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        json!({
            "model": "gpt",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "name": "ann", "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "high"}},
                    {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}
                ]},
                {"role": "assistant", "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}
                ]},
                {"role": "tool", "content": "18C", "tool_call_id": "call_1", "cache_control": {"type": "ephemeral"}}
            ],
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_completion_tokens": 100,
            "temperature": 0.5,
            "top_p": 0.9,
            "stop": ["END"],
            "seed": 7,
            "user": "u-1",
            "tools": [{"type": "function", "function": {
                "name": "weather",
                "description": "Weather of a city",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string", "enum": ["Paris", null]}},
                    "required": ["city"],
                    "minProperties": 1
                },
                "strict": true
            }}],
            "tool_choice": {"type": "function", "function": {"name": "weather"}},
            "parallel_tool_calls": false,
            "response_format": {"type": "json_schema", "json_schema": {"name": "w", "schema": {"type": "object"}}},
            "reasoning_effort": "low"
        })
    );
}

// Unary Chat never sends `stream` or `stream_options` (OpenAI refuses the latter alone).
#[test]
fn unary_chat_has_no_stream_fields() {
    let req = chat_request(full_request(), false).unwrap();
    assert_eq!(req.stream, None);
    assert_eq!(req.stream_options, None);
}

// Missing model, no messages, an unset role, an empty part and a shadowing `extra` key are
// client errors naming the offending field.
#[test]
fn invalid_requests_name_the_field() {
    let param = |req: pb::ChatRequest| match chat_request(req, false) {
        Err(Error::InvalidRequest { param, .. }) => param.unwrap_or_default(),
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    let ok = || pb::ChatRequest {
        model: "gpt".into(),
        messages: vec![text_message(pb::Role::User, "hi")],
        ..Default::default()
    };
    assert_eq!(
        param(pb::ChatRequest {
            model: " ".into(),
            ..ok()
        }),
        "model"
    );
    assert_eq!(
        param(pb::ChatRequest {
            messages: vec![],
            ..ok()
        }),
        "messages"
    );
    assert_eq!(
        param(pb::ChatRequest {
            messages: vec![text_message(pb::Role::Unspecified, "hi")],
            ..ok()
        }),
        "messages[0].role"
    );
    assert_eq!(
        param(pb::ChatRequest {
            messages: vec![pb::ChatMessage {
                role: pb::Role::User.into(),
                content: Some(pb::chat_message::Content::Parts(pb::ContentParts {
                    parts: vec![pb::ContentPart { part: None }],
                })),
                ..Default::default()
            }],
            ..ok()
        }),
        "messages[0].content[0]"
    );
    assert_eq!(
        param(pb::ChatRequest {
            temperature: Some(1.0),
            extra: Some(struct_of(json!({"temperature": 0.2}))),
            ..ok()
        }),
        "extra.temperature"
    );
    assert_eq!(
        param(pb::ChatRequest {
            tool_choice: Some(pb::ToolChoice {
                choice: Some(pb::tool_choice::Choice::Mode(
                    pb::ToolChoiceMode::Unspecified.into()
                )),
            }),
            ..ok()
        }),
        "tool_choice.mode"
    );
}

// A response with tool calls, reasoning, usage with cached tokens and unknown fields converts
// field for field, with the call info attached.
#[test]
fn response_with_tool_calls_converts() {
    let resp: oa::ChatResponse = serde_json::from_value(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o",
        "choices": [{
            "index": 0,
            "message": {
                "role": "assistant",
                "content": null,
                "reasoning_content": "need weather",
                "tool_calls": [{"id": "call_1", "type": "function",
                                "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}],
                "annotations": []
            },
            "finish_reason": "tool_calls"
        }],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                  "prompt_tokens_details": {"cached_tokens": 4}},
        "service_tier": "default"
    }))
    .unwrap();
    let out = chat_response(resp, &meta());
    assert_eq!(out.id, "chatcmpl-1");
    assert_eq!(out.created, 1_700_000_000);
    let choice = &out.choices[0];
    assert_eq!(choice.finish_reason, "tool_calls");
    let message = choice.message.as_ref().unwrap();
    assert_eq!(message.role, i32::from(pb::Role::Assistant));
    assert_eq!(message.content, None);
    assert_eq!(message.reasoning_content.as_deref(), Some("need weather"));
    assert_eq!(
        message.tool_calls,
        vec![pb::ToolCall {
            id: "call_1".into(),
            name: "weather".into(),
            arguments: r#"{"city":"Paris"}"#.into(),
        }]
    );
    assert_eq!(
        message.extra.clone().map(struct_to_map),
        Some(json!({"annotations": []}).as_object().unwrap().clone())
    );
    assert_eq!(
        out.usage,
        Some(pb::Usage {
            prompt_tokens: 10,
            completion_tokens: 5,
            total_tokens: 15,
            cached_tokens: 4
        })
    );
    assert_eq!(
        out.extra.map(struct_to_map).unwrap()["service_tier"],
        "default"
    );
    let info = out.call_info.unwrap();
    assert_eq!(info.call_id, "call-1");
    assert_eq!(info.model_id, "dep-1");
    assert_eq!(info.api_base.as_deref(), Some("http://upstream/v1"));
    assert!((info.response_cost - 0.25).abs() < f64::EPSILON);
}

// A response message fed back as the next request's message keeps its tool calls.
#[test]
fn response_message_round_trips_into_a_request() {
    let msg = response_message(oa::ResponseMessage {
        role: oa::Role::Assistant,
        content: Some("hi".into()),
        tool_calls: None,
        refusal: None,
        reasoning_content: None,
        extra: oa::Extra::new(),
    });
    let back = message(msg, 0).unwrap();
    assert_eq!(back, oa::ChatMessage::text(oa::Role::Assistant, "hi"));
}

// Stream chunks map deltas (role, text, tool-call fragments); call info only when given.
#[test]
fn chunks_convert() {
    let chunk: oa::ChatChunk = serde_json::from_value(json!({
        "id": "c", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [
            {"index": 0, "id": "call_1", "type": "function", "function": {"name": "weather", "arguments": ""}}
        ]}, "finish_reason": null}]
    }))
    .unwrap();
    let first = chat_chunk(chunk.clone(), Some(&meta())).chunk.unwrap();
    assert_eq!(first.call_info.unwrap().call_id, "call-1");
    let delta = first.choices[0].delta.clone().unwrap();
    assert_eq!(delta.role, i32::from(pb::Role::Assistant));
    assert_eq!(delta.tool_calls[0].id.as_deref(), Some("call_1"));
    assert_eq!(delta.tool_calls[0].name.as_deref(), Some("weather"));
    assert_eq!(first.choices[0].finish_reason, "");
    assert!(chat_chunk(chunk, None).chunk.unwrap().call_info.is_none());
}

// Struct → JSON → Struct keeps nested lists, nulls, bools, strings; whole numbers read back as
// integers and fractions as floats.
#[test]
fn struct_and_json_convert_both_ways() {
    let original = json!({
        "a": null,
        "b": [1, 2.5, [true, null, "x"], {"c": []}],
        "d": {"e": {"f": -3}},
        "g": ""
    });
    let s = struct_of(original.clone());
    assert!(matches!(s.fields["a"].kind, Some(Kind::NullValue(_))));
    match &s.fields["b"].kind {
        Some(Kind::ListValue(list)) => {
            assert_eq!(list.values.len(), 4);
            assert!(
                matches!(list.values[1].kind, Some(Kind::NumberValue(n)) if (n - 2.5).abs() < f64::EPSILON)
            );
        }
        other => panic!("expected a list, got {other:?}"),
    }
    assert_eq!(Value::Object(struct_to_map(s)), original);
    // A value with no kind set (a sparse client) reads as null.
    assert_eq!(value_to_json(ProtoValue { kind: None }), Value::Null);
    assert_eq!(
        value_to_json(ProtoValue {
            kind: Some(Kind::NumberValue(f64::NAN))
        }),
        Value::Null
    );
}

// Embeddings: texts become a JSON list, base64 is asked as float, vectors come back as floats.
#[test]
fn embeddings_convert() {
    let req = embed_request(pb::EmbedRequest {
        model: "emb".into(),
        input: vec!["a".into(), "b".into()],
        dimensions: Some(8),
        encoding_format: Some("base64".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(req.input, json!(["a", "b"]));
    assert_eq!(req.encoding_format.as_deref(), Some("float"));
    assert!(
        embed_request(pb::EmbedRequest {
            model: "emb".into(),
            ..Default::default()
        })
        .is_err()
    );

    let resp: oa::EmbeddingsResponse = serde_json::from_value(json!({
        "object": "list", "model": "emb",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -1, 0]}],
        "usage": {"prompt_tokens": 2, "total_tokens": 2}
    }))
    .unwrap();
    let out = embed_response(resp, &meta()).unwrap();
    assert_eq!(out.data[0].values, vec![0.5, -1.0, 0.0]);
    assert_eq!(out.usage.unwrap().prompt_tokens, 2);
    let bad: oa::EmbeddingsResponse = serde_json::from_value(json!({
        "model": "emb", "data": [{"embedding": "AAAA"}]
    }))
    .unwrap();
    assert!(matches!(
        embed_response(bad, &meta()),
        Err(Error::Internal(_))
    ));
}
