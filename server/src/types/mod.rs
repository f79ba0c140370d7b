//! Wire types of the protocols the gateway speaks on HTTP (OpenAI and Anthropic JSON).

pub mod anthropic;
pub mod openai;
