//! The storage backend matrix: migrations and a real query on SQLite and PostgreSQL.

use tollgate::store::Store;
use tollgate_e2e::db::backends;

// Each backend migrates, answers a ping, and round-trips a value.
#[tokio::test]
async fn store_round_trip_on_every_backend() {
    for db in backends().await {
        let store = Store::connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.backend));
        assert_eq!(store.backend(), db.backend);
        store.ping().await.unwrap();
        assert!(
            store.meta("created_at").await.unwrap().is_some(),
            "{}: migration row",
            db.backend
        );
        store.set_meta("k", "v1").await.unwrap();
        store.set_meta("k", "v2").await.unwrap();
        assert_eq!(
            store.meta("k").await.unwrap().as_deref(),
            Some("v2"),
            "{}",
            db.backend
        );
        store.close().await;
        // Reconnecting runs the migrations again, idempotently, and keeps the data.
        let again = Store::connect(&db.url).await.unwrap();
        assert_eq!(again.meta("k").await.unwrap().as_deref(), Some("v2"));
        again.close().await;
    }
}
