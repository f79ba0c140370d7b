//! UTC days and the dates the spend API accepts: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` (LiteLLM's
//! UI) and RFC 3339 (`2026-05-01T10:00:00Z`, offsets allowed).

use crate::error::{Error, Result};
use crate::governance::clock::to_rfc3339;

const DAY_MS: i64 = 86_400_000;

/// The UTC day of a Unix ms time, `YYYY-MM-DD`.
pub fn of_ms(ms: i64) -> String {
    to_rfc3339(ms)[..10].to_owned()
}

/// A parsed bound of a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBound {
    /// Unix ms of the instant named (midnight UTC for a bare date).
    pub ms: i64,
    /// Whether only a date was given (an end bound then covers that whole day).
    pub date_only: bool,
}

impl DateBound {
    /// The first ms of the range starting here.
    pub fn start_ms(self) -> i64 {
        self.ms
    }

    /// The first ms after the range ending here (a bare date includes its whole day).
    pub fn end_exclusive_ms(self) -> i64 {
        if self.date_only {
            self.ms + DAY_MS
        } else {
            self.ms + 1
        }
    }

    /// The UTC day of the bound.
    pub fn day(self) -> String {
        of_ms(self.ms)
    }
}

/// Parses a date parameter; `field` names it in errors.
pub fn parse(text: &str, field: &str) -> Result<DateBound> {
    parse_inner(text.trim()).ok_or_else(|| {
        Error::invalid_param(
            format!(
                "{field}: invalid date `{text}`; use YYYY-MM-DD, `YYYY-MM-DD HH:MM:SS` or RFC 3339"
            ),
            field,
        )
    })
}

fn parse_inner(t: &str) -> Option<DateBound> {
    let date = t.get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = number(parts.next()?, 4)?;
    let m: i64 = number(parts.next()?, 2)?;
    let d: i64 = number(parts.next()?, 2)?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let day_ms = days_from_civil(y, m, d) * DAY_MS;
    let rest = &t[10..];
    if rest.is_empty() {
        return Some(DateBound {
            ms: day_ms,
            date_only: true,
        });
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let h: i64 = number(rest.get(0..2)?, 2)?;
    let min: i64 = number(rest.get(3..5)?, 2)?;
    let s: i64 = number(rest.get(6..8)?, 2)?;
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || h > 23 || min > 59 || s > 60 {
        return None;
    }
    let mut tail = &rest[8..];
    let mut millis = 0;
    if let Some(frac) = tail.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<3}", &frac[..digits.min(3)]);
        millis = padded.parse::<i64>().ok()?;
        tail = &frac[digits..];
    }
    let offset_ms = match tail {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match tail.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = number(tail.get(1..3)?, 2)?;
            let om: i64 = number(tail.get(4..6)?, 2)?;
            if tail.get(3..4)? != ":" || tail.len() != 6 {
                return None;
            }
            sign * (oh * 3_600_000 + om * 60_000)
        }
    };
    Some(DateBound {
        ms: day_ms + h * 3_600_000 + min * 60_000 + s * 1000 + millis - offset_ms,
        date_only: false,
    })
}

fn number(text: &str, len: usize) -> Option<i64> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// (year, month, day) → days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every accepted form parses to the right instant; a bare end date covers its whole day.
    #[test]
    fn parses_dates() {
        let d = parse("2026-11-23", "start_date").unwrap();
        assert_eq!(d.ms, 1_795_392_000_000);
        assert!(d.date_only);
        assert_eq!(d.end_exclusive_ms(), d.ms + DAY_MS);
        assert_eq!(of_ms(d.ms), "2026-11-23");
        let t = parse("2026-11-23T12:10:19Z", "x").unwrap();
        assert_eq!(t.ms, 1_795_435_819_000);
        assert_eq!(parse("2026-11-23 12:10:19", "x").unwrap().ms, t.ms);
        assert_eq!(
            parse("2026-11-23T13:10:19.5+01:00", "x").unwrap().ms,
            t.ms + 500
        );
        assert_eq!(parse("2000-02-29", "x").unwrap().ms, 951_782_400_000);
        assert_eq!(parse("1970-01-01", "x").unwrap().ms, 0);
    }

    // Malformed dates are refused with the parameter named.
    #[test]
    fn refuses_bad_dates() {
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2025-02-29",
            "26-01-01",
            "2026-01-01X",
            "2026-01-01T25:00:00",
            "2026-01-01T10:00:00+1",
            "yesterday",
        ] {
            let err = parse(bad, "end_date").unwrap_err();
            assert!(err.to_string().contains("end_date"), "{bad}");
        }
    }
}
