//! OpenAI-compatible routes: chat, legacy completions, embeddings, models.

pub mod chat;
pub mod completions;
pub mod embeddings;
pub mod models;
