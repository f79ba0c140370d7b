//! Cache invalidation across the fleet over Redis pub/sub.
//!
//! An admin change on one instance is applied to its own caches, then published on one channel;
//! every other instance applies it on receipt. The publisher waits (briefly) until its own
//! message comes back through Redis: Redis has then written it to every subscriber's socket, so
//! by the time the admin call answers, the other instances have it in hand. After a lost
//! subscription (Redis restarted, network cut) an instance cannot know what it missed, so it
//! drops all its caches once it is subscribed again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{PREFIX, RedisLink};

/// How long a publisher waits for its own message to come back.
const ECHO_WAIT: Duration = Duration::from_millis(500);
const RESUBSCRIBE_INTERVAL: Duration = Duration::from_millis(250);

/// One message on the channel: who sent it, a sequence number, and what to drop.
#[derive(Debug, Deserialize)]
struct Envelope<T> {
    from: String,
    seq: u64,
    what: T,
}

/// Publishes invalidations of type `T` and delivers the other instances' ones to a channel.
#[derive(Debug)]
pub struct InvalidationBus<T> {
    link: Arc<RedisLink>,
    channel: String,
    instance: String,
    seq: AtomicU64,
    echoes: Mutex<HashMap<u64, oneshot::Sender<()>>>,
    _what: std::marker::PhantomData<fn(T)>,
}

/// What the subscriber hands over: a message from another instance, or "you may have missed
/// messages, drop everything".
#[derive(Debug, Clone, PartialEq)]
pub enum Received<T> {
    One(T),
    Resubscribed,
}

impl<T> InvalidationBus<T>
where
    T: Serialize + serde::de::DeserializeOwned + Send + 'static,
{
    /// Starts the subscriber; the other instances' invalidations arrive on the returned receiver.
    pub fn start(
        link: Arc<RedisLink>,
        tasks: &TaskTracker,
        shutdown: CancellationToken,
    ) -> (Arc<Self>, mpsc::UnboundedReceiver<Received<T>>) {
        let bus = Arc::new(Self {
            link,
            channel: format!("{PREFIX}invalidate"),
            instance: uuid::Uuid::new_v4().to_string(),
            seq: AtomicU64::new(0),
            echoes: Mutex::new(HashMap::new()),
            _what: std::marker::PhantomData,
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let subscriber = bus.clone();
        tasks.spawn(async move { subscriber.subscribe(tx, shutdown).await });
        (bus, rx)
    }

    /// Tells the other instances, and waits until Redis has delivered the message.
    pub async fn publish(&self, what: &T) {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed);
        let payload = serde_json::json!({ "from": self.instance, "seq": seq, "what": what });
        let payload = payload.to_string();
        let (echo_tx, echo_rx) = oneshot::channel();
        self.echoes().insert(seq, echo_tx);
        let published = self
            .link
            .run::<i64>(redis::cmd("PUBLISH").arg(&self.channel).arg(payload))
            .await;
        if published.is_ok() {
            let _ = tokio::time::timeout(ECHO_WAIT, echo_rx).await;
        }
        self.echoes().remove(&seq);
    }

    fn echoes(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<()>>> {
        self.echoes.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn subscribe(
        self: Arc<Self>,
        deliver: mpsc::UnboundedSender<Received<T>>,
        shutdown: CancellationToken,
    ) {
        let mut first = true;
        loop {
            let connected = tokio::select! {
                () = shutdown.cancelled() => return,
                c = self.open() => c,
            };
            if let Some(pubsub) = connected {
                if !first {
                    let _ = deliver.send(Received::Resubscribed);
                }
                first = false;
                let mut messages = pubsub.into_on_message();
                loop {
                    let message = tokio::select! {
                        () = shutdown.cancelled() => return,
                        m = messages.next() => m,
                    };
                    let Some(message) = message else { break };
                    let Ok(payload) = message.get_payload::<String>() else {
                        continue;
                    };
                    self.receive(&payload, &deliver);
                }
                tracing::warn!("lost the Redis invalidation subscription; resubscribing");
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(RESUBSCRIBE_INTERVAL) => {}
            }
        }
    }

    async fn open(&self) -> Option<redis::aio::PubSub> {
        let attempt = async {
            let mut pubsub = self.link.client().get_async_pubsub().await?;
            pubsub.subscribe(&self.channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        match tokio::time::timeout(Duration::from_secs(2), attempt).await {
            Ok(Ok(pubsub)) => Some(pubsub),
            _ => None,
        }
    }

    fn receive(&self, payload: &str, deliver: &mpsc::UnboundedSender<Received<T>>) {
        let envelope: Envelope<T> = match serde_json::from_str(payload) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "ignoring a malformed invalidation message");
                return;
            }
        };
        if envelope.from == self.instance {
            if let Some(echo) = self.echoes().remove(&envelope.seq) {
                let _ = echo.send(());
            }
            return;
        }
        let _ = deliver.send(Received::One(envelope.what));
    }
}
