"""Session fixtures: the real `tollgate` binary on port 0, and a `Tollgate` client for it.

The binary is `$TOLLGATE_BIN`, else `<repo>/target/debug/tollgate`, else
`$CARGO_TARGET_DIR/debug/tollgate`. Its models need no provider: `demo` answers with
`mock_response` (priced, so calls cost something), `limited` answers the mock's 429, and `slow`
points at a local socket that accepts connections and never answers (for deadlines). It runs in a
temp dir (its SQLite file lands there) with a clean environment; its log is shown on failure.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tollgate import Tollgate

MASTER_KEY = "sk-sdk-test-master-key-0123456789"
DEMO_REPLY = "Hello from Tollgate!"
REPO = Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 60.0
_LISTENING = re.compile(r"listening on (?:https?://)?(\S+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Gateway:
    target: str  # host:port
    log_path: Path

    def log(self) -> str:
        return _ANSI.sub("", self.log_path.read_text(errors="replace"))


def _binary() -> Path:
    candidates = [Path(p) for p in [os.environ.get("TOLLGATE_BIN", "")] if p]
    candidates.append(REPO / "target" / "debug" / "tollgate")
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(Path(os.environ["CARGO_TARGET_DIR"]) / "debug" / "tollgate")
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail(f"tollgate binary not found (tried {', '.join(map(str, candidates))}); "
                "run `cargo build -p tollgate --bin tollgate` or set TOLLGATE_BIN", pytrace=False)


def _silent_upstream() -> tuple[str, socket.socket]:
    """A listener that accepts connections and never answers: calls to it hang until cancelled."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    host, port = server.getsockname()[:2]
    return f"http://{host}:{port}/v1", server


def _config(silent_base: str) -> str:
    return f"""\
model_list:
  - model_name: demo
    litellm_params:
      model: openai/demo
      mock_response: "{DEMO_REPLY}"
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
  - model_name: limited
    litellm_params:
      model: openai/limited
      mock_response: "litellm.RateLimitError"
  - model_name: slow
    litellm_params:
      model: openai/slow
      api_base: "{silent_base}"
      api_key: sk-upstream-never-called
router_settings:
  num_retries: 0
general_settings:
  master_key: {MASTER_KEY}
"""


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    tmp = tmp_path_factory.mktemp("gateway")
    silent_base, silent = _silent_upstream()
    (tmp / "config.yaml").write_text(_config(silent_base))
    drop = {"DATABASE_URL", "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "LITELLM_MASTER_KEY",
            "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}
    env = {k: v for k, v in os.environ.items() if k.upper() not in drop}
    env.update(TOLLGATE_MASTER_KEY=MASTER_KEY, NO_COLOR="1", HOME=str(tmp), RUST_LOG="info")
    gw = Gateway(target="", log_path=tmp / "gateway.log")
    with gw.log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(_binary()), "--config", "config.yaml", "--host", "127.0.0.1", "--port", "0"],
            cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not gw.target:
        match = _LISTENING.search(gw.log())
        if match:
            gw.target = match.group(1).rstrip(".,;")
        elif process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"gateway did not start (exit {process.poll()}); its log:\n{gw.log()}", pytrace=False)
        else:
            time.sleep(0.05)
    yield gw
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    silent.close()


@pytest.fixture(scope="session")
def admin(gateway: Gateway) -> Iterator[Tollgate]:
    """A client with the master key."""
    with Tollgate(gateway.target, MASTER_KEY, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def connect(gateway: Gateway) -> Iterator[Callable[..., Tollgate]]:
    """Opens clients with other keys on the same gateway: `connect(api_key, timeout=30)`."""
    opened: list[Tollgate] = []

    def open_client(api_key: str, timeout: float | None = 30) -> Tollgate:
        client = Tollgate(gateway.target, api_key, timeout=timeout)
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        client.close()
