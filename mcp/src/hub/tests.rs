//! The hub's registry: adding, replacing, removing servers and reading callers' headers.

use super::*;
use crate::spec::Transport;

fn unreachable(name: &str) -> ServerSpec {
    // Port 9 (discard) on loopback: nothing answers, the server stays unhealthy.
    ServerSpec::new(
        name,
        Transport::Http {
            url: "http://127.0.0.1:9/mcp".into(),
            headers: vec![],
        },
    )
}

// Servers added and removed at runtime show in health; unhealthy ones list no tools and
// resolve no names.
#[tokio::test]
async fn add_remove_and_health() {
    let (tasks, shutdown) = (TaskTracker::new(), CancellationToken::new());
    let hub = Hub::start(
        vec![unreachable("a")],
        HubOptions::default(),
        reqwest::Client::new(),
        &tasks,
        &shutdown,
    );
    hub.add(unreachable("b"));
    let names: Vec<_> = hub
        .health()
        .into_iter()
        .map(|h| (h.name, h.healthy))
        .collect();
    assert_eq!(names, [("a".to_owned(), false), ("b".to_owned(), false)]);
    let all = View::All { only: None };
    let none = ClientHeaders::new();
    assert!(
        hub.list_tools(&Access::Everything, &all, &none)
            .await
            .is_empty()
    );
    let headers = [
        ("x-mcp-b-authorization", "Bearer u"),
        ("x-mcp-servers", "a"),
        ("x-mcp-zz-x", "1"),
    ];
    let personal = hub.client_headers(headers.into_iter());
    assert_eq!(personal.len(), 1);
    assert_eq!(
        personal["b"],
        [("authorization".to_owned(), "Bearer u".to_owned())]
    );
    assert_eq!(hub.public_name("b", "t"), "b-t");
    assert!(hub.remove("a"));
    assert!(!hub.remove("a"));
    assert_eq!(hub.health().len(), 1);
    shutdown.cancel();
    tasks.close();
    tasks.wait().await;
}

// Reconciling touches only runtime servers: new ones start, changed ones are replaced,
// missing ones go; a config server's name is refused.
#[tokio::test]
async fn reconcile_follows_desired_runtime_servers() {
    let (tasks, shutdown) = (TaskTracker::new(), CancellationToken::new());
    let hub = Hub::start(
        vec![unreachable("cfg")],
        HubOptions::default(),
        reqwest::Client::new(),
        &tasks,
        &shutdown,
    );
    let done = hub.reconcile(vec![unreachable("a"), unreachable("b"), unreachable("cfg")]);
    assert_eq!(done.added, ["a", "b"]);
    assert_eq!(done.refused, ["cfg"]);
    assert!(hub.is_runtime("a") && !hub.is_runtime("cfg"));
    let same = hub.reconcile(vec![unreachable("a"), unreachable("b")]);
    assert!(same.is_empty(), "{same:?}");
    let mut changed = unreachable("a");
    changed.allowed_tools = vec!["x".into()];
    let done = hub.reconcile(vec![changed.clone()]);
    assert_eq!(
        (done.replaced, done.removed),
        (vec!["a".to_owned()], vec!["b".to_owned()])
    );
    assert_eq!(hub.upstream("a").unwrap().spec(), &changed);
    let done = hub.reconcile(vec![]);
    assert_eq!(done.removed, ["a"]);
    let names: Vec<_> = hub.health().into_iter().map(|h| h.name).collect();
    assert_eq!(names, ["cfg"]);
    shutdown.cancel();
    tasks.close();
    tasks.wait().await;
}

// `extra_headers` forwards the named client headers, never the gateway credential.
#[tokio::test]
async fn extra_headers_are_forwarded_by_name() {
    let (tasks, shutdown) = (TaskTracker::new(), CancellationToken::new());
    let mut spec = unreachable("s");
    spec.extra_headers = vec!["X-Tenant".into(), "Authorization".into()];
    let hub = Hub::start(
        vec![spec, unreachable("t")],
        HubOptions::default(),
        reqwest::Client::new(),
        &tasks,
        &shutdown,
    );
    let headers = [
        ("authorization", "Bearer sk-gateway"),
        ("x-tenant", "acme"),
        ("x-other", "1"),
    ];
    let personal = hub.client_headers(headers.into_iter());
    assert_eq!(personal.len(), 1);
    assert_eq!(personal["s"], [("X-Tenant".to_owned(), "acme".to_owned())]);
    shutdown.cancel();
    tasks.close();
    tasks.wait().await;
}
