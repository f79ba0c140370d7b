//! Records waiting in memory for the database, oldest first, with the bound that decides when
//! the oldest of them move to the journal.

use std::collections::VecDeque;

use super::record::SpendRecord;

#[derive(Debug)]
pub struct Pending {
    records: VecDeque<SpendRecord>,
    /// Most records kept in memory while the database is down.
    max: usize,
}

impl Pending {
    pub fn new(max: usize) -> Self {
        Self {
            records: VecDeque::new(),
            max: max.max(1),
        }
    }

    pub fn push(&mut self, record: SpendRecord) {
        self.records.push_back(record);
    }

    /// Puts records back at the front (a spill the journal refused), keeping their order.
    pub fn restore_front(&mut self, records: Vec<SpendRecord>) {
        for r in records.into_iter().rev() {
            self.records.push_front(r);
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The oldest `n` records (or fewer), without removing them.
    pub fn front(&mut self, n: usize) -> &[SpendRecord] {
        let n = n.min(self.records.len());
        &self.records.make_contiguous()[..n]
    }

    /// Removes the oldest `n` records.
    pub fn drop_front(&mut self, n: usize) {
        self.records.drain(..n.min(self.records.len()));
    }

    /// Takes every record.
    pub fn take_all(&mut self) -> Vec<SpendRecord> {
        self.records.drain(..).collect()
    }

    /// When over the bound, takes the oldest records so that half the bound stays in memory
    /// (spilling in large steps keeps journal fsyncs rare during a long outage).
    pub fn take_overflow(&mut self) -> Vec<SpendRecord> {
        if self.records.len() <= self.max {
            return Vec::new();
        }
        let keep = self.max / 2;
        let n = self.records.len() - keep;
        self.records.drain(..n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;

    fn record(i: usize) -> SpendRecord {
        SpendRecord::new(format!("c{i}"), "/v1/embeddings", 0, &Principal::master())
    }

    fn ids(records: &[SpendRecord]) -> Vec<&str> {
        records.iter().map(|r| r.call_id.as_str()).collect()
    }

    // Nothing spills up to the bound; past it the oldest spill, leaving half the bound, in order;
    // a refused spill goes back to the front in its order.
    #[test]
    fn spills_oldest_past_the_bound() {
        let mut p = Pending::new(4);
        (0..4).for_each(|i| p.push(record(i)));
        assert!(p.take_overflow().is_empty());
        p.push(record(4));
        let spilled = p.take_overflow();
        assert_eq!(ids(&spilled), ["c0", "c1", "c2"]);
        assert_eq!(ids(p.front(10)), ["c3", "c4"]);
        p.restore_front(spilled);
        assert_eq!(ids(p.front(3)), ["c0", "c1", "c2"]);
        p.drop_front(4);
        assert_eq!(ids(p.front(10)), ["c4"]);
        assert_eq!(p.take_all().len(), 1);
        assert!(p.is_empty());
    }
}
