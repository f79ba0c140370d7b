//! What a limit is (a measure over an entity, with its setting name) and what a caller may
//! learn about its usage (the `x-ratelimit-*` headers).

use crate::budgets::Scope;

/// What is counted, and over which window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    RequestsPerMinute,
    TokensPerMinute,
    RequestsPerDay,
    TokensPerDay,
    /// Requests in flight.
    Parallel,
}

impl Measure {
    /// The window in ms (0 for [`Measure::Parallel`], which has none).
    pub fn window_ms(self) -> i64 {
        match self {
            Self::RequestsPerMinute | Self::TokensPerMinute => 60_000,
            Self::RequestsPerDay | Self::TokensPerDay => 86_400_000,
            Self::Parallel => 0,
        }
    }

    pub fn counts_tokens(self) -> bool {
        matches!(self, Self::TokensPerMinute | Self::TokensPerDay)
    }

    pub fn counts_requests(self) -> bool {
        matches!(self, Self::RequestsPerMinute | Self::RequestsPerDay)
    }

    /// Short code in storage keys.
    pub fn code(self) -> &'static str {
        match self {
            Self::RequestsPerMinute => "rpm",
            Self::TokensPerMinute => "tpm",
            Self::RequestsPerDay => "rpd",
            Self::TokensPerDay => "tpd",
            Self::Parallel => "par",
        }
    }

    /// How a limit of this measure reads in a message.
    pub fn unit(self) -> &'static str {
        match self {
            Self::RequestsPerMinute => "requests per minute",
            Self::TokensPerMinute => "tokens per minute",
            Self::RequestsPerDay => "requests per day",
            Self::TokensPerDay => "tokens per day",
            Self::Parallel => "parallel requests",
        }
    }
}

/// One limit on one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub subject: Scope,
    pub measure: Measure,
    pub limit: u64,
    /// The setting that set it (`rpm_limit`, `model_tpm_limit`, ...), named in refusals.
    pub setting: &'static str,
}

impl Check {
    /// The storage key of this check's counter (without the Redis namespace).
    pub fn counter_key(&self) -> String {
        format!("rl:{}:{}", self.measure.code(), self.subject.storage_key())
    }
}

/// Usage of the tightest request and token limits after an admission.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RateStatus {
    pub requests: Option<Remaining>,
    pub tokens: Option<Remaining>,
}

/// One limit's state as the `x-ratelimit-*` headers give it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Remaining {
    pub limit: u64,
    pub remaining: u64,
    /// Until the oldest counted use leaves the window.
    pub reset_ms: i64,
}

impl RateStatus {
    /// The tightest limit of each kind among `checks`, with usage `used` and resets `reset_ms`.
    pub fn of(checks: &[Check], used: &[u64], reset_ms: &[i64]) -> Self {
        let mut status = Self::default();
        for ((check, used), reset) in checks.iter().zip(used).zip(reset_ms) {
            let slot = if check.measure.counts_requests() {
                &mut status.requests
            } else if check.measure.counts_tokens() {
                &mut status.tokens
            } else {
                continue;
            };
            let candidate = Remaining {
                limit: check.limit,
                remaining: check.limit.saturating_sub(*used),
                reset_ms: *reset,
            };
            if slot.is_none_or(|s| candidate.remaining < s.remaining) {
                *slot = Some(candidate);
            }
        }
        status
    }
}
