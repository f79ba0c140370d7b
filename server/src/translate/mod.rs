//! Translations between wire formats (Anthropic ↔ OpenAI, legacy completions ↔ chat).

pub mod anthropic;
pub mod completions;
