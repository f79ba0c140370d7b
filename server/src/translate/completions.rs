//! Legacy text completions (`/v1/completions`) as chat, for providers without a completions API.
//!
//! The prompt becomes one user message (as LiteLLM's `text_completion` does for chat models); the
//! other parameters keep their chat meaning (`temperature`, `stop`, `n`, ...). Parameters only the
//! legacy API has (`echo`, `best_of`, `suffix`, integer `logprobs`) are dropped. The answer's
//! message text becomes each choice's `text`. Several prompts in one request (a batch) and token-id
//! prompts are refused: one chat call cannot answer them.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::types::openai::{
    ChatMessage, ChatRequest, ChatResponse, CompletionChoice, CompletionRequest,
    CompletionResponse, Role,
};

/// Legacy-only parameters with no chat equivalent.
const LEGACY_ONLY: &[&str] = &["echo", "best_of", "suffix", "logprobs"];

/// `CompletionRequest` → `ChatRequest` with one user message.
pub fn to_chat(req: &CompletionRequest) -> Result<ChatRequest> {
    let prompt = prompt_text(&req.prompt)?;
    let mut body = req.extra.clone();
    for key in LEGACY_ONLY {
        body.remove(*key);
    }
    body.insert("model".into(), Value::String(req.model.clone()));
    body.insert("messages".into(), Value::Array(Vec::new()));
    // Typed fields of the chat request take the remaining parameters (temperature, stop, ...).
    let mut chat: ChatRequest = serde_json::from_value(Value::Object(body))
        .map_err(|e| Error::invalid(format!("invalid completion parameters: {e}")))?;
    chat.messages = vec![ChatMessage::text(Role::User, prompt)];
    chat.stream = req.stream;
    chat.max_tokens = req.max_tokens;
    chat.user.clone_from(&req.user);
    Ok(chat)
}

/// The prompt as one string: a string, or a list holding exactly one string.
fn prompt_text(prompt: &Value) -> Result<String> {
    match prompt {
        Value::String(s) => Ok(s.clone()),
        Value::Array(items) => match items.as_slice() {
            [Value::String(s)] => Ok(s.clone()),
            [] => Ok(String::new()),
            _ if items.iter().all(Value::is_string) => Err(Error::invalid_param(
                "several prompts in one request are not supported for this model; send one \
                 request per prompt",
                "prompt",
            )),
            _ => Err(Error::invalid_param(
                "token-id prompts are not supported for this model; send the prompt as text",
                "prompt",
            )),
        },
        Value::Null => Ok(String::new()),
        _ => Err(Error::invalid_param(
            "prompt must be a string or a list of strings",
            "prompt",
        )),
    }
}

/// `ChatResponse` → `CompletionResponse` (`text_completion`), one choice per chat choice.
pub fn from_chat(resp: ChatResponse) -> CompletionResponse {
    CompletionResponse {
        id: resp.id,
        object: "text_completion".into(),
        created: resp.created,
        model: resp.model,
        choices: resp
            .choices
            .into_iter()
            .map(|c| CompletionChoice {
                index: c.index,
                text: c.message.content.unwrap_or_default(),
                finish_reason: c.finish_reason,
                logprobs: None,
            })
            .collect(),
        usage: resp.usage,
        extra: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::openai::{Choice, ResponseMessage, Stop, Usage};
    use serde_json::json;

    fn request(body: Value) -> CompletionRequest {
        serde_json::from_value(body).expect("valid completion request")
    }

    // A string prompt becomes one user message and chat parameters keep their values.
    #[test]
    fn prompt_becomes_user_message() {
        let req = request(json!({
            "model": "m", "prompt": "Say hi", "max_tokens": 7, "temperature": 0.5,
            "stop": ["\n"], "echo": true, "best_of": 2, "logprobs": 3, "user": "u1"
        }));
        let chat = to_chat(&req).expect("translates");
        assert_eq!(chat.model, "m");
        assert_eq!(chat.messages, vec![ChatMessage::text(Role::User, "Say hi")]);
        assert_eq!(chat.max_tokens, Some(7));
        assert_eq!(chat.temperature, Some(0.5));
        assert_eq!(chat.stop, Some(Stop::Many(vec!["\n".into()])));
        assert_eq!(chat.user.as_deref(), Some("u1"));
        assert!(
            chat.extra.is_empty(),
            "legacy-only params dropped: {:?}",
            chat.extra
        );
    }

    // A one-element prompt list is accepted; batches and token ids are refused clearly.
    #[test]
    fn prompt_lists() {
        assert!(to_chat(&request(json!({"model": "m", "prompt": ["a"]}))).is_ok());
        let batch = to_chat(&request(json!({"model": "m", "prompt": ["a", "b"]})));
        assert!(matches!(batch, Err(Error::InvalidRequest { .. })));
        let tokens = to_chat(&request(json!({"model": "m", "prompt": [1, 2, 3]})));
        assert!(matches!(tokens, Err(Error::InvalidRequest { .. })));
    }

    // The chat answer's text, finish reason and usage come back as a text completion.
    #[test]
    fn response_becomes_text_completion() {
        let resp = ChatResponse {
            id: "cmpl-1".into(),
            object: "chat.completion".into(),
            created: 42,
            model: "m".into(),
            choices: vec![Choice {
                index: 0,
                message: ResponseMessage {
                    role: Role::Assistant,
                    content: Some("hi".into()),
                    tool_calls: None,
                    refusal: None,
                    reasoning_content: None,
                    extra: Default::default(),
                },
                finish_reason: Some("stop".into()),
                logprobs: None,
                extra: Default::default(),
            }],
            usage: Some(Usage::new(3, 1)),
            system_fingerprint: None,
            extra: Default::default(),
        };
        let out = serde_json::to_value(from_chat(resp)).expect("serializes");
        assert_eq!(
            out,
            json!({
                "id": "cmpl-1", "object": "text_completion", "created": 42, "model": "m",
                "choices": [{"index": 0, "text": "hi", "finish_reason": "stop", "logprobs": null}],
                "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}
            })
        );
    }
}
