//! Listing keys (`/key/list`): optional filters, the caller's visibility scope, and a page,
//! newest first (`created_at`, then `token`, so pages are stable).

use super::{KEY_COLUMNS, KeyRow};
use crate::admin::permissions::KeyScope;
use crate::error::Result;
use crate::keys::KeyRecord;
use crate::store::Store;

/// What to list: every filter is optional and they combine with AND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyListFilter {
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub organization_id: Option<String>,
    pub key_alias: Option<String>,
    /// Which keys the caller may see at all.
    pub scope: KeyScope,
}

/// The filters, `$1`..`$4`.
const FILTER: &str = "($1 IS NULL OR user_id = $1) AND ($2 IS NULL OR team_id = $2) \
                      AND ($3 IS NULL OR organization_id = $3) AND ($4 IS NULL OR key_alias = $4)";

impl KeyListFilter {
    /// The `WHERE` clause and the text parameters it binds, in order. Only placeholders are
    /// generated here; every value is bound.
    fn where_clause(&self) -> (String, Vec<Option<String>>) {
        let mut binds = vec![
            self.user_id.clone(),
            self.team_id.clone(),
            self.organization_id.clone(),
            self.key_alias.clone(),
        ];
        let mut sql = FILTER.to_owned();
        if let KeyScope::Restricted {
            user_id,
            team_ids,
            own_token,
        } = &self.scope
        {
            sql.push_str(" AND (user_id = $5 OR token = $6");
            binds.push(user_id.clone());
            binds.push(own_token.clone());
            if !team_ids.is_empty() {
                let placeholders: Vec<String> = (0..team_ids.len())
                    .map(|i| format!("${}", binds.len() + 1 + i))
                    .collect();
                sql.push_str(&format!(" OR team_id IN ({})", placeholders.join(", ")));
                binds.extend(team_ids.iter().cloned().map(Some));
            }
            sql.push(')');
        }
        (sql, binds)
    }
}

impl Store {
    /// One page (`page` from 1, `size` keys) of the keys `filter` selects, and how many it
    /// selects in all.
    pub async fn list_keys(
        &self,
        filter: &KeyListFilter,
        page: u32,
        size: u32,
    ) -> Result<(Vec<KeyRecord>, u64)> {
        self.count_read();
        let (clause, binds) = filter.where_clause();
        let limit = binds.len() + 1;
        let count_sql = format!("SELECT COUNT(*) FROM keys WHERE {clause}");
        let page_sql = format!(
            "SELECT {KEY_COLUMNS} FROM keys WHERE {clause} \
             ORDER BY created_at DESC, token DESC LIMIT ${limit} OFFSET ${}",
            limit + 1
        );
        let offset = i64::from(page.saturating_sub(1)) * i64::from(size);
        let (total, rows): (i64, Vec<KeyRow>) = with_pool!(self, pool => {
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql));
            let mut rows = sqlx::query_as(sqlx::AssertSqlSafe(page_sql));
            for value in &binds {
                count = count.bind(value);
                rows = rows.bind(value);
            }
            let total = count.fetch_one(pool).await?;
            let rows = rows.bind(i64::from(size)).bind(offset).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        let keys = rows
            .into_iter()
            .map(KeyRow::into_record)
            .collect::<Result<Vec<_>>>()?;
        Ok((keys, u64::try_from(total).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only placeholders are generated, one per bound value, in order.
    #[test]
    fn restricted_scope_binds_every_value() {
        let filter = KeyListFilter {
            user_id: None,
            team_id: Some("t".into()),
            organization_id: None,
            key_alias: None,
            scope: KeyScope::Restricted {
                user_id: Some("u".into()),
                team_ids: vec!["a".into(), "b".into()],
                own_token: None,
            },
        };
        let (sql, binds) = filter.where_clause();
        assert!(sql.ends_with("AND (user_id = $5 OR token = $6 OR team_id IN ($7, $8))"));
        assert_eq!(binds.len(), 8);
        assert_eq!(binds[6].as_deref(), Some("a"));
        let all = KeyListFilter {
            scope: KeyScope::All,
            ..filter
        };
        assert_eq!(
            all.where_clause(),
            (FILTER.to_owned(), all.where_clause().1)
        );
        assert_eq!(all.where_clause().1.len(), 4);
    }
}
