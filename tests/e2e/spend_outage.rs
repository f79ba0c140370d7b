//! Database outages on demand, for the spend writer's tests: SQLite locked by another writer
//! (every write waits out the busy timeout, then fails), PostgreSQL behind a TCP relay the test
//! cuts (open connections reset, new ones closed at once) and restores.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::Connection;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A database that can be made unavailable and brought back.
pub enum Outage {
    /// A second SQLite connection holding the write lock while down.
    Sqlite {
        url: String,
        lock: Option<sqlx::SqliteConnection>,
    },
    /// A TCP relay in front of PostgreSQL.
    Postgres(Relay),
}

impl Outage {
    /// For the test database `url`: answers the URL the gateway should use and the switch.
    pub async fn new(backend: &str, url: &str) -> (String, Self) {
        if backend == "sqlite" {
            return (
                url.to_owned(),
                Outage::Sqlite {
                    url: url.to_owned(),
                    lock: None,
                },
            );
        }
        let (relay, relayed) = Relay::start(url).await;
        (relayed, Outage::Postgres(relay))
    }

    /// Makes writes fail until [`Outage::up`].
    pub async fn down(&mut self) {
        match self {
            Outage::Sqlite { url, lock } => {
                let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
                sqlx::query("BEGIN EXCLUSIVE")
                    .execute(&mut conn)
                    .await
                    .unwrap();
                *lock = Some(conn);
            }
            Outage::Postgres(relay) => relay.cut(),
        }
    }

    pub async fn up(&mut self) {
        match self {
            Outage::Sqlite { lock, .. } => {
                if let Some(mut conn) = lock.take() {
                    sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
                    conn.close().await.unwrap();
                }
            }
            Outage::Postgres(relay) => relay.restore(),
        }
    }
}

/// Relays TCP connections to a PostgreSQL server while up.
pub struct Relay {
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Relay {
    /// Starts a relay to the server of `url`; answers it and `url` pointed at the relay.
    pub async fn start(url: &str) -> (Self, String) {
        let (scheme, rest) = url.split_once("://").unwrap();
        let (creds, host_and_path) = match rest.rsplit_once('@') {
            Some((c, h)) => (format!("{c}@"), h),
            None => (String::new(), rest),
        };
        let (host_port, path) = host_and_path.split_once('/').unwrap();
        let target: SocketAddr = tokio::net::lookup_host(if host_port.contains(':') {
            host_port.to_owned()
        } else {
            format!("{host_port}:5432")
        })
        .await
        .unwrap()
        .next()
        .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = {
            let (up, links) = (up.clone(), links.clone());
            tokio::spawn(async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    if !up.load(Ordering::SeqCst) {
                        drop(inbound);
                        continue;
                    }
                    let link = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    links.lock().unwrap().push(link);
                }
            })
        };
        let relayed = format!("{scheme}://{creds}{addr}/{path}");
        (Self { up, links, accept }, relayed)
    }

    /// Resets every relayed connection and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.accept.abort();
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }
}
