//! Golden-file helpers for translation tests (CONVENTIONS §15).
//!
//! A case reads `server/tests/golden/<suite>/<case>.in.*` and compares what the code produces
//! with `<case>.out.json` as JSON values. `UPDATE_GOLDEN=1` rewrites the expected files; review
//! that diff by hand against the provider's documentation before committing it.

use std::path::PathBuf;

use serde_json::Value;

use crate::providers::sse::SseDecoder;

/// The folder of a suite's golden files.
pub fn dir(suite: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(suite)
}

pub fn read(suite: &str, name: &str) -> String {
    let path = dir(suite).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn read_json<T: serde::de::DeserializeOwned>(suite: &str, name: &str) -> T {
    serde_json::from_str(&read(suite, name)).unwrap_or_else(|e| panic!("parse {name}: {e}"))
}

/// The `data` of every SSE event of a file, `[DONE]` excluded.
pub fn sse_data(suite: &str, name: &str) -> Vec<String> {
    let mut decoder = SseDecoder::new();
    let mut events = decoder.feed(read(suite, name).as_bytes());
    events.extend(decoder.finish());
    events
        .into_iter()
        .map(|e| e.data)
        .filter(|d| d != "[DONE]")
        .collect()
}

/// Sets every `created` field to 0 (they carry the translation time).
pub fn zero_created(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(created) = map.get_mut("created") {
                *created = Value::from(0);
            }
            map.values_mut().for_each(zero_created);
        }
        Value::Array(items) => items.iter_mut().for_each(zero_created),
        _ => {}
    }
}

/// Compares `actual` with `<case>.out.json` (or rewrites it under `UPDATE_GOLDEN=1`).
pub fn check(suite: &str, case: &str, actual: impl serde::Serialize) {
    let mut actual = serde_json::to_value(actual).unwrap_or_else(|e| panic!("{case}: {e}"));
    zero_created(&mut actual);
    let path = dir(suite).join(format!("{case}.out.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&actual).unwrap_or_default() + "\n";
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        return;
    }
    let expected: Value = read_json(suite, &format!("{case}.out.json"));
    assert_eq!(
        actual,
        expected,
        "{case}: translation differs from {}\nactual:\n{}",
        path.display(),
        serde_json::to_string_pretty(&actual).unwrap_or_default()
    );
}
