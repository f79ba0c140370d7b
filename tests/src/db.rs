//! The storage backend matrix: every storage test runs on SQLite (a temp file) and, when
//! `TOLLGATE_TEST_POSTGRES_URL` is set (CI sets it), on a fresh PostgreSQL database of its own.

use sqlx::Connection;

/// A database for one test; dropping it leaves the PostgreSQL database behind for inspection
/// only until the server is thrown away (CI's is).
pub struct TestDb {
    pub backend: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// The backends to run a storage test on.
pub async fn backends() -> Vec<TestDb> {
    let dir = tempfile::tempdir().unwrap();
    let mut dbs = vec![TestDb {
        backend: "sqlite",
        url: format!("sqlite://{}/test.db", dir.path().display()),
        _dir: Some(dir),
    }];
    if let Ok(admin_url) = std::env::var("TOLLGATE_TEST_POSTGRES_URL") {
        dbs.push(fresh_postgres(&admin_url).await);
    }
    dbs
}

async fn fresh_postgres(admin_url: &str) -> TestDb {
    let name = format!("tollgate_test_{}", uuid_like());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("TOLLGATE_TEST_POSTGRES_URL unreachable: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    TestDb {
        backend: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
    }
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos:x}{:x}", std::process::id())
}
