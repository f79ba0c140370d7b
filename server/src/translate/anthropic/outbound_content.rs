//! Content of outbound messages: OpenAI content parts as Anthropic blocks (text, images from
//! data or http URLs, files as documents) and `cache_control` placement. Split from
//! [`super::outbound`], which documents the mapping.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::types::anthropic::{ContentBlock, DocumentBlock, ImageBlock, MediaSource, TextBlock};
use crate::types::openai::{ContentPart, Extra, MessageContent};

pub(super) fn cache_control(extra: &Extra) -> Option<Value> {
    extra.get("cache_control").cloned()
}

pub(super) fn text_block(text: String, cache_control: Option<Value>) -> ContentBlock {
    ContentBlock::Text(TextBlock {
        text,
        cache_control,
        extra: Extra::new(),
    })
}

/// A message-level `cache_control` (LiteLLM accepts one) marks the message's last block.
pub(super) fn apply_message_cache_control(blocks: &mut [ContentBlock], extra: &Extra) {
    let Some(cc) = cache_control(extra) else {
        return;
    };
    match blocks.last_mut() {
        Some(ContentBlock::Text(b)) => b.cache_control = Some(cc),
        Some(ContentBlock::Image(b)) => b.cache_control = Some(cc),
        Some(ContentBlock::Document(b)) => b.cache_control = Some(cc),
        Some(ContentBlock::ToolUse(b)) => b.cache_control = Some(cc),
        Some(ContentBlock::ToolResult(b)) => b.cache_control = Some(cc),
        _ => {}
    }
}

/// Text, images and files of a user (or tool) message; blank text (Anthropic refuses it) is
/// dropped.
pub(super) fn content_blocks(content: Option<MessageContent>) -> Result<Vec<ContentBlock>> {
    let parts = match content {
        None => return Ok(Vec::new()),
        Some(MessageContent::Text(text)) if text.trim().is_empty() => return Ok(Vec::new()),
        Some(MessageContent::Text(text)) => return Ok(vec![text_block(text, None)]),
        Some(MessageContent::Parts(parts)) => parts,
    };
    let mut blocks = Vec::with_capacity(parts.len());
    for part in parts {
        if let Some(block) = part_block(part)? {
            blocks.push(block);
        }
    }
    Ok(blocks)
}

pub(super) fn part_block(part: ContentPart) -> Result<Option<ContentBlock>> {
    let cc = cache_control(&part.extra);
    match part.kind.as_str() {
        "text" => Ok(part
            .text
            .filter(|t| !t.trim().is_empty())
            .map(|t| text_block(t, cc))),
        "image_url" => {
            let Some(image) = part.image_url else {
                return Err(Error::invalid_param(
                    "image_url part without a url",
                    "messages",
                ));
            };
            Ok(Some(ContentBlock::Image(ImageBlock {
                source: media_source(&image.url),
                cache_control: cc,
                extra: Extra::new(),
            })))
        }
        "file" => file_block(&part.extra, cc).map(Some),
        "input_audio" => Err(Error::invalid_param(
            "anthropic models do not accept audio input",
            "messages",
        )),
        // An Anthropic-native block (`document`, `search_result`, ...) given as a part.
        _ => {
            let raw = serde_json::to_value(&part).map_err(Error::internal)?;
            Ok(Some(serde_json::from_value(raw).map_err(Error::internal)?))
        }
    }
}

/// `data:` URLs become base64 sources; anything else is fetched by Anthropic from the URL.
pub(super) fn media_source(url: &str) -> MediaSource {
    match super::parse_data_url(url) {
        Some((media_type, data)) => MediaSource::base64(media_type, data),
        None => MediaSource::url(url),
    }
}

/// An OpenAI `file` part (`{"file":{"file_data":"data:application/pdf;base64,..."}}`) as a
/// document (or an image, for image data).
pub(super) fn file_block(extra: &Extra, cache_control: Option<Value>) -> Result<ContentBlock> {
    let file = extra.get("file");
    let data_url = file
        .and_then(|f| f.get("file_data"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Error::invalid_param(
                "file parts need `file.file_data` (a data URL) for anthropic models",
                "messages",
            )
        })?;
    let source = media_source(data_url);
    if source
        .media_type
        .as_deref()
        .is_some_and(|m| m.starts_with("image/"))
    {
        return Ok(ContentBlock::Image(ImageBlock {
            source,
            cache_control,
            extra: Extra::new(),
        }));
    }
    let mut doc_extra = Extra::new();
    if let Some(name) = file.and_then(|f| f.get("filename")).and_then(Value::as_str) {
        doc_extra.insert("title".into(), name.into());
    }
    Ok(ContentBlock::Document(DocumentBlock {
        source,
        cache_control,
        extra: doc_extra,
    }))
}
