//! Percentiles over recorded durations (exact: every sample is kept and sorted).

use std::fmt::Write as _;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Samples(Vec<u32>);

impl Samples {
    pub fn record(&mut self, d: Duration) {
        self.0
            .push(u32::try_from(d.as_micros()).unwrap_or(u32::MAX));
    }

    pub fn merge(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    /// Appends ` NAME_p50=… NAME_p90=… NAME_p99=… NAME_p999=… NAME_max=…` (milliseconds).
    pub fn write(&mut self, name: &str, out: &mut String) {
        self.0.sort_unstable();
        for (label, q) in [
            ("p50", 0.50),
            ("p90", 0.90),
            ("p99", 0.99),
            ("p999", 0.999),
            ("max", 1.0),
        ] {
            let _ = write!(out, " {name}_{label}={:.3}", self.quantile(q));
        }
    }

    /// Nearest-rank quantile in milliseconds (NaN when empty). Expects sorted samples.
    fn quantile(&self, q: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let rank = (q * self.0.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.0.len()) - 1;
        f64::from(self.0[index]) / 1000.0
    }
}
