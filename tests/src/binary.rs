//! The real `tollgate` binary as a child process on `127.0.0.1:0`: for tests of several
//! instances sharing a database and Redis. The binary is `$TOLLGATE_BIN`, else the one cargo
//! built next to this test (`target/<profile>/tollgate`; `cargo test --workspace` builds it).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::gateway::MASTER_KEY;

pub struct Instance {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    child: Child,
    log: PathBuf,
}

/// Where the `tollgate` binary is.
pub fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("TOLLGATE_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test binary> -> target/<profile>/tollgate
    let path = exe.parent().unwrap().parent().unwrap().join("tollgate");
    assert!(
        path.exists(),
        "{} not found: build it first (`cargo build -p tollgate`) or set TOLLGATE_BIN",
        path.display()
    );
    path
}

impl Instance {
    /// Starts the binary on `config_path` with `env`, waiting for its `listening on` line.
    pub fn start(config_path: &std::path::Path, env: &[(&str, &str)]) -> Self {
        let dir = config_path.parent().unwrap();
        let log = dir.join(format!("tollgate-{}.log", fastrand::u32(..)));
        let log_file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(binary());
        cmd.current_dir(dir)
            .args([
                "--config",
                config_path.to_str().unwrap(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
            ])
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut log_file = log_file;
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = writeln!(log_file, "{line}");
                if !sent && let Some(addr) = listening_addr(&line) {
                    let _ = tx.send(addr);
                    sent = true;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let addr = loop {
            if let Ok(addr) = rx.recv_timeout(Duration::from_millis(100)) {
                break addr;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "tollgate exited with {status}:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "tollgate did not start in time");
        };
        Self {
            addr,
            client: reqwest::Client::new(),
            child,
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POST with the master key.
    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.post_as(MASTER_KEY, path, body).await
    }

    pub async fn post_as(&self, key: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(MASTER_KEY)
            .send()
            .await
            .unwrap()
    }

    /// The instance's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn listening_addr(line: &str) -> Option<SocketAddr> {
    let rest = &line[line.find("listening on")? + "listening on".len()..];
    rest.split_whitespace().find_map(|w| {
        w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != ':')
            .parse()
            .ok()
    })
}
