//! Sliding-window arithmetic shared by the in-memory limiter and (in Lua) the Redis one.
//!
//! A window of `W` ms is counted in [`BUCKETS`] buckets of `W / BUCKETS` ms. A request at time
//! `now` counts the current bucket and the [`BUCKETS`] before it, so the counted span is always at
//! least `W` (between `W` and `W + W/BUCKETS`). Any interval of length `W` therefore lies inside
//! the span counted when its last request was admitted: a limit of `L` per window admits at most
//! `L` in *every* interval of length `W`, with no 2× burst at a boundary. The price is that an
//! entry is forgotten up to one bucket (1 s of a minute, 24 min of a day) later than `W`.

/// Buckets per window.
pub const BUCKETS: i64 = 60;
/// Buckets counted at a time: the current one and the [`BUCKETS`] before it.
pub const SPAN: usize = BUCKETS as usize + 1;

/// Length of one bucket of a `window_ms` window.
pub fn bucket_ms(window_ms: i64) -> i64 {
    (window_ms / BUCKETS).max(1)
}

/// The usage of one subject over one window, as a ring of [`SPAN`] buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    bucket_ms: i64,
    /// `(bucket index, amount)` per ring slot; a slot whose index is out of the span is empty.
    slots: [(i64, i64); SPAN],
}

impl Window {
    pub fn new(window_ms: i64) -> Self {
        Self {
            bucket_ms: bucket_ms(window_ms),
            slots: [(i64::MIN, 0); SPAN],
        }
    }

    pub fn bucket_of(&self, now_ms: i64) -> i64 {
        now_ms.div_euclid(self.bucket_ms)
    }

    fn counted(&self, index: i64, current: i64) -> bool {
        index <= current && index >= current - BUCKETS
    }

    /// The amount counted at `now_ms`.
    pub fn used(&self, now_ms: i64) -> i64 {
        let current = self.bucket_of(now_ms);
        self.slots
            .iter()
            .filter(|(i, _)| self.counted(*i, current))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Adds `amount` to the current bucket; answers the bucket index (for a later adjustment).
    pub fn add(&mut self, now_ms: i64, amount: i64) -> i64 {
        let current = self.bucket_of(now_ms);
        let slot = &mut self.slots[current.rem_euclid(SPAN as i64) as usize];
        if slot.0 != current {
            *slot = (current, 0);
        }
        slot.1 += amount;
        current
    }

    /// Adds `delta` (may be negative) to bucket `index` if it is still counted; never below 0.
    pub fn adjust(&mut self, now_ms: i64, index: i64, delta: i64) {
        let current = self.bucket_of(now_ms);
        if !self.counted(index, current) {
            return;
        }
        let slot = &mut self.slots[index.rem_euclid(SPAN as i64) as usize];
        if slot.0 == index {
            slot.1 = (slot.1 + delta).max(0);
        }
    }

    /// How long until `excess` units have left the counted span (0 if nothing needs to leave).
    pub fn wait_for(&self, now_ms: i64, excess: i64) -> i64 {
        if excess <= 0 {
            return 0;
        }
        let current = self.bucket_of(now_ms);
        let mut counted: Vec<(i64, i64)> = self
            .slots
            .iter()
            .copied()
            .filter(|(i, n)| *n > 0 && self.counted(*i, current))
            .collect();
        counted.sort_unstable();
        let mut freed = 0;
        for (index, n) in counted {
            freed += n;
            if freed >= excess {
                return self.leaves_at(index) - now_ms;
            }
        }
        // More than is counted (a request bigger than the limit): a whole window.
        self.leaves_at(current) - now_ms
    }

    /// How long until the oldest counted unit leaves (0 when nothing is counted).
    pub fn reset_after(&self, now_ms: i64) -> i64 {
        if self.used(now_ms) == 0 {
            0
        } else {
            self.wait_for(now_ms, 1)
        }
    }

    /// When bucket `index` stops being counted.
    fn leaves_at(&self, index: i64) -> i64 {
        (index + BUCKETS + 1) * self.bucket_ms
    }

    /// Whether nothing is counted any more at `now_ms` (the entry can be dropped).
    pub fn is_idle(&self, now_ms: i64) -> bool {
        self.used(now_ms) == 0
    }
}

#[cfg(test)]
#[path = "window_tests.rs"]
mod tests;
