//! What a batch of newly written records adds, summed in memory so each batch touches each
//! aggregate row and each entity once: daily totals (per key, team, user, end user and model
//! group), the same per tag, and the spend to add to keys, teams, users, organizations, end users
//! and memberships.

use std::collections::BTreeMap;

use super::record::{SpendRecord, SpendStatus};

/// The grain of `daily_spend` (absent ids are `""`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DailyKey {
    pub day: String,
    pub api_key: String,
    pub team_id: String,
    pub user_id: String,
    pub end_user: String,
    pub model: String,
}

/// Sums of one aggregate row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub organization_id: String,
    pub requests: i64,
    pub successful_requests: i64,
    pub failed_requests: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cached_tokens: i64,
    pub spend: f64,
}

impl Totals {
    fn add(&mut self, r: &SpendRecord) {
        self.organization_id = id(&r.organization_id);
        self.requests += 1;
        match r.status {
            SpendStatus::Success => self.successful_requests += 1,
            SpendStatus::Failure => self.failed_requests += 1,
        }
        self.prompt_tokens += tokens(r.prompt_tokens);
        self.completion_tokens += tokens(r.completion_tokens);
        self.cached_tokens += tokens(r.cached_tokens);
        self.spend += r.cost;
    }
}

/// Everything one batch adds.
#[derive(Debug, Default, PartialEq)]
pub struct BatchTotals {
    pub daily: BTreeMap<DailyKey, Totals>,
    /// Keyed by (tag, daily key).
    pub tags: BTreeMap<(String, DailyKey), Totals>,
    pub keys: BTreeMap<String, f64>,
    pub teams: BTreeMap<String, f64>,
    pub users: BTreeMap<String, f64>,
    pub organizations: BTreeMap<String, f64>,
    pub end_users: BTreeMap<String, f64>,
    /// (team, user).
    pub team_members: BTreeMap<(String, String), f64>,
    /// (organization, user).
    pub organization_members: BTreeMap<(String, String), f64>,
}

impl BatchTotals {
    /// Sums `records` (each must be newly written: replays are filtered out before).
    pub fn of<'a>(records: impl IntoIterator<Item = &'a SpendRecord>) -> Self {
        let mut t = Self::default();
        for r in records {
            let key = DailyKey {
                day: r.day(),
                api_key: id(&r.key_hash),
                team_id: id(&r.team_id),
                user_id: id(&r.user_id),
                end_user: id(&r.end_user),
                model: r.model_group.clone(),
            };
            for tag in &r.tags {
                t.tags.entry((tag.clone(), key.clone())).or_default().add(r);
            }
            t.daily.entry(key).or_default().add(r);
            if r.cost == 0.0 {
                continue;
            }
            let charge = |map: &mut BTreeMap<String, f64>, id: &Option<String>| {
                if let Some(id) = id.as_deref().filter(|i| !i.is_empty()) {
                    *map.entry(id.to_owned()).or_default() += r.cost;
                }
            };
            charge(&mut t.keys, &r.key_hash);
            charge(&mut t.teams, &r.team_id);
            charge(&mut t.users, &r.user_id);
            charge(&mut t.organizations, &r.organization_id);
            charge(&mut t.end_users, &r.end_user);
            if let Some(user) = r.user_id.as_deref().filter(|u| !u.is_empty()) {
                if let Some(team) = r.team_id.as_deref().filter(|t| !t.is_empty()) {
                    *t.team_members
                        .entry((team.to_owned(), user.to_owned()))
                        .or_default() += r.cost;
                }
                if let Some(org) = r.organization_id.as_deref().filter(|o| !o.is_empty()) {
                    *t.organization_members
                        .entry((org.to_owned(), user.to_owned()))
                        .or_default() += r.cost;
                }
            }
        }
        t
    }
}

/// An optional id as stored: `""` when absent.
pub fn id(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Token counts as stored (BIGINT).
pub fn tokens(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;

    fn record(id: &str, day_ms: i64, team: Option<&str>, cost: f64, tags: &[&str]) -> SpendRecord {
        let mut r = SpendRecord::new(id, "/v1/chat/completions", day_ms, &Principal::master())
            .model_group("gpt")
            .tokens(10, 5, 1)
            .cost(cost)
            .tags(&tags.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>())
            .succeeded(day_ms + 10);
        r.key_hash = Some("k1".into());
        r.user_id = Some("u1".into());
        r.team_id = team.map(str::to_owned);
        r
    }

    // Records of one day and grain sum into one row; entities and memberships are charged once
    // each with the batch's sum; tags count a call under each of its tags.
    #[test]
    fn sums_a_batch() {
        let day = 1_795_392_000_000;
        let mut failed = record("c3", day + 5, Some("t1"), 0.0, &[]);
        failed.status = SpendStatus::Failure;
        let records = vec![
            record("c1", day, Some("t1"), 1.5, &["a", "b"]),
            record("c2", day + 1000, Some("t1"), 2.0, &["a"]),
            failed,
            record("c4", day + 86_400_000, None, 4.0, &[]),
        ];
        let t = BatchTotals::of(&records);
        assert_eq!(t.daily.len(), 2);
        let first = t.daily.values().next().unwrap();
        assert_eq!(first.requests, 3);
        assert_eq!(first.successful_requests, 2);
        assert_eq!(first.failed_requests, 1);
        assert_eq!(first.prompt_tokens, 30);
        assert_eq!(first.spend, 3.5);
        assert_eq!(t.keys["k1"], 7.5);
        assert_eq!(t.users["u1"], 7.5);
        assert_eq!(t.teams["t1"], 3.5);
        assert_eq!(t.team_members[&("t1".to_owned(), "u1".to_owned())], 3.5);
        assert!(t.end_users.is_empty() && t.organizations.is_empty());
        let a: f64 = t
            .tags
            .iter()
            .filter(|((tag, _), _)| tag == "a")
            .map(|(_, v)| v.spend)
            .sum();
        assert_eq!(a, 3.5);
        assert_eq!(t.tags.len(), 2, "tag a and tag b, both on the first day");
    }
}
