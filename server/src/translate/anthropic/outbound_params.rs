//! Parameter mapping for outbound requests (tools, `tool_choice`, `reasoning_effort`,
//! `response_format`, `user`), split from [`super::outbound`], which documents the choices.

use serde_json::{Value, json};

use super::outbound::JSON_TOOL_NAME;
use crate::error::{Error, Result};
use crate::types::anthropic::{CustomTool, ToolChoice, ToolChoiceKind, ToolDef};
use crate::types::openai::{Extra, Tool};

pub(super) fn tool_def(tool: Tool) -> ToolDef {
    ToolDef::Custom(CustomTool {
        kind: None,
        name: tool.function.name,
        description: tool.function.description,
        input_schema: tool
            .function
            .parameters
            .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
        cache_control: tool.extra.get("cache_control").cloned(),
        extra: Extra::new(),
    })
}

pub(super) fn choice_of(kind: ToolChoiceKind, name: Option<String>) -> ToolChoice {
    ToolChoice {
        kind,
        name,
        disable_parallel_tool_use: None,
        extra: Extra::new(),
    }
}

pub(super) fn tool_choice(choice: Value) -> Result<ToolChoice> {
    let invalid = || Error::invalid_param("unsupported tool_choice", "tool_choice");
    match &choice {
        Value::String(s) => match s.as_str() {
            "auto" => Ok(choice_of(ToolChoiceKind::Auto, None)),
            "required" | "any" => Ok(choice_of(ToolChoiceKind::Any, None)),
            "none" => Ok(choice_of(ToolChoiceKind::None, None)),
            _ => Err(invalid()),
        },
        Value::Object(o) => match o.get("function").and_then(|f| f.get("name")) {
            Some(Value::String(name)) => Ok(choice_of(ToolChoiceKind::Tool, Some(name.clone()))),
            // Already Anthropic-shaped (`{"type":"tool","name":..}`).
            _ => serde_json::from_value(choice.clone()).map_err(|_| invalid()),
        },
        _ => Err(invalid()),
    }
}

/// OpenAI `reasoning_effort` → Anthropic `thinking` (LiteLLM's budgets).
pub(super) fn reasoning_effort(effort: Option<Value>) -> Result<Option<Value>> {
    let Some(effort) = effort else {
        return Ok(None);
    };
    let budget = match effort.as_str() {
        Some("none") => return Ok(None),
        Some("minimal" | "low") => 1024,
        Some("medium") => 2048,
        Some("high") => 4096,
        _ => {
            return Err(Error::invalid_param(
                "reasoning_effort must be one of none, minimal, low, medium, high",
                "reasoning_effort",
            ));
        }
    };
    Ok(Some(json!({"type": "enabled", "budget_tokens": budget})))
}

/// The `json_tool_call` tool for a `json_schema` / `json_object` response format.
pub(super) fn json_tool(format: &Value) -> Option<CustomTool> {
    let schema = match format.get("type").and_then(Value::as_str)? {
        "json_schema" => format
            .get("json_schema")
            .and_then(|s| s.get("schema"))
            .or_else(|| format.get("response_schema"))
            .cloned(),
        "json_object" => None,
        _ => return None,
    };
    let mut input_schema = json!({"type": "object"});
    match schema {
        Some(Value::Object(schema)) => {
            if let Value::Object(base) = &mut input_schema {
                base.extend(schema);
            }
        }
        _ => {
            input_schema =
                json!({"type": "object", "additionalProperties": true, "properties": {}});
        }
    }
    Some(CustomTool {
        kind: None,
        name: JSON_TOOL_NAME.into(),
        description: None,
        input_schema,
        cache_control: None,
        extra: Extra::new(),
    })
}

/// Anthropic rejects user ids that look like emails or phone numbers (LiteLLM skips them).
pub(super) fn valid_user_id(user: &str) -> bool {
    let digits = user.chars().filter(char::is_ascii_digit).count();
    let phone_like = digits >= 7
        && user
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '(' | ')' | '-'));
    !user.is_empty() && !user.contains('@') && !phone_like
}

pub(super) fn metadata_user_id(extra: &Extra) -> Option<String> {
    extra
        .get("metadata")?
        .get("user_id")?
        .as_str()
        .filter(|u| valid_user_id(u))
        .map(str::to_owned)
}
