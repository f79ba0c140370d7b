//! The real `tollgate` binary: exit codes, the `listening on` line, graceful SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tollgate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tollgate"));
    cmd.env_remove("TOLLGATE_MASTER_KEY")
        .env_remove("LITELLM_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info");
    cmd
}

// A bad config lists every problem at once and exits 2 before binding.
#[test]
fn bad_config_lists_every_problem_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    std::fs::write(
        &path,
        r#"
model_list:
  - model_name: a
    litellm_params: {model: openai/x, rpm: "lots"}
  - litellm_params: {model: openai/y}
  - model_name: c
    litellm_params: {model: openai/z, timeout: -1}
router_settings:
  routing_strategy: fastest-please
general_settings:
  master_key: os.environ/TOLLGATE_TEST_SURELY_UNSET_VAR
unknown_section: {x: 1}
"#,
    )
    .unwrap();
    let out = tollgate()
        .current_dir(dir.path())
        .args(["--config", path.to_str().unwrap(), "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "model_list[0].litellm_params.rpm",
        "model_list[1].model_name: required",
        "model_list[2].litellm_params.timeout",
        "fastest-please",
        "TOLLGATE_TEST_SURELY_UNSET_VAR",
        "unknown_section",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("listening on"));
    assert!(
        !dir.path().join("tollgate.db").exists(),
        "nothing created before validation"
    );
}

// With no config the gateway starts on SQLite in the working directory, logs
// `listening on <addr>`, answers, and exits 0 on SIGTERM.
#[test]
fn starts_with_defaults_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = tollgate()
        .current_dir(dir.path())
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let addr = loop {
        assert!(Instant::now() < deadline, "no `listening on` line");
        let line = lines.next().expect("stderr closed").unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim().to_owned();
        }
    };
    assert!(
        dir.path().join("tollgate.db").exists(),
        "SQLite file created"
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::get(format!("http://{addr}/health/liveliness"))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
}
