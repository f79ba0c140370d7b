//! LiteLLM durations: `30s`, `10m`, `24h`, `7d`, `30d`, `1mo` (key `duration` and
//! `budget_duration`).

use crate::error::{Error, Result};

/// A parsed duration. Months are calendar-free: LiteLLM counts `1mo` as 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub millis: i64,
}

/// Parses `30s`, `10m`, `24h`, `7d`, `2w`, `1mo`; `field` names the parameter in errors.
pub fn parse(text: &str, field: &str) -> Result<Span> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: i64 = number.parse().map_err(|_| bad(text, field))?;
    if n <= 0 {
        return Err(bad(text, field));
    }
    let unit_ms: i64 = match unit.trim() {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        "mo" => 30 * 86_400_000,
        _ => return Err(bad(text, field)),
    };
    n.checked_mul(unit_ms)
        .map(|millis| Span { millis })
        .ok_or_else(|| bad(text, field))
}

fn bad(text: &str, field: &str) -> Error {
    Error::invalid_param(
        format!(
            "{field}: invalid duration `{text}`; use a number and a unit: 30s, 10m, 24h, 7d, 2w, 1mo"
        ),
        field,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every documented unit parses; malformed and non-positive values are refused.
    #[test]
    fn parses_units() {
        assert_eq!(parse("30s", "d").unwrap().millis, 30_000);
        assert_eq!(parse("10m", "d").unwrap().millis, 600_000);
        assert_eq!(parse("24h", "d").unwrap().millis, 86_400_000);
        assert_eq!(parse("7d", "d").unwrap().millis, 7 * 86_400_000);
        assert_eq!(parse("1mo", "d").unwrap().millis, 30 * 86_400_000);
        for bad in [
            "",
            "d",
            "5",
            "-1d",
            "0d",
            "3x",
            "1.5h",
            "99999999999999999999d",
        ] {
            assert!(parse(bad, "duration").is_err(), "{bad}");
        }
    }
}
