"""Session fixtures: a mock provider, and the real `tollgate` binary in front of it on port 0.

The gateway binary is `$TOLLGATE_BIN`, else `<repo>/target/debug/tollgate`, else
`$CARGO_TARGET_DIR/debug/tollgate`. It runs with its cwd in a temp dir (so its SQLite file lands
there) and a clean environment (no DATABASE_URL/REDIS_URL/proxy from the caller). Its log goes to
a file that is shown when it fails to start, and appended to the report of every failed test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import anthropic
import openai
import pytest

from mock_upstream import ANTHROPIC_KEY, OPENAI_KEY, MockUpstream, start_mock_upstream

MASTER_KEY = "sk-test-master-key-0123456789"
DEMO_REPLY = "Hello from Tollgate!"
REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = float(os.environ.get("TOLLGATE_TEST_START_TIMEOUT", "30"))
STOP_TIMEOUT_S = 30.0
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LISTENING = re.compile(r"listening on (?:https?://)?(\S+)")

# The SDKs must reach 127.0.0.1 directly even where a proxy is configured.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


@dataclass
class Gateway:
    """The running gateway: `base_url` is `http://127.0.0.1:PORT` (no `/v1`)."""

    base_url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return _ANSI.sub("", self.log_path.read_text(errors="replace"))


_gateway_for_reports: Gateway | None = None


def _binary() -> Path:
    candidates = []
    if os.environ.get("TOLLGATE_BIN"):
        candidates.append(Path(os.environ["TOLLGATE_BIN"]))
    candidates.append(REPO / "target" / "debug" / "tollgate")
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(Path(os.environ["CARGO_TARGET_DIR"]) / "debug" / "tollgate")
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail(
        "tollgate binary not found (tried: " + ", ".join(map(str, candidates)) + "); "
        "build it with `cargo build -p tollgate --bin tollgate` or set TOLLGATE_BIN",
        pytrace=False,
    )


def _config(upstream: str) -> str:
    return f"""\
model_list:
  - model_name: gpt-mock
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: "{upstream}/v1"
      api_key: {OPENAI_KEY}
  - model_name: claude-mock
    litellm_params:
      model: anthropic/claude-3-5-sonnet-20241022
      api_base: "{upstream}"
      api_key: {ANTHROPIC_KEY}
  - model_name: embed-mock
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: "{upstream}/v1"
      api_key: {OPENAI_KEY}
  - model_name: demo
    litellm_params:
      model: openai/demo
      mock_response: "{DEMO_REPLY}"
general_settings:
  master_key: {MASTER_KEY}
"""


def _clean_env(tmp: Path) -> dict[str, str]:
    drop = {"DATABASE_URL", "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD",
            "LITELLM_MASTER_KEY", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}
    env = {k: v for k, v in os.environ.items() if k.upper() not in drop}
    env.update(TOLLGATE_MASTER_KEY=MASTER_KEY, NO_COLOR="1", HOME=str(tmp),
               RUST_LOG=os.environ.get("TOLLGATE_TEST_RUST_LOG", "info"))
    return env


@pytest.fixture(scope="session")
def mock_upstream() -> Iterator[MockUpstream]:
    mock = start_mock_upstream()
    yield mock
    mock.stop()


@pytest.fixture(scope="session")
def gateway(mock_upstream: MockUpstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    global _gateway_for_reports
    binary = _binary()
    tmp = tmp_path_factory.mktemp("gateway")
    config = tmp / "config.yaml"
    config.write_text(_config(mock_upstream.base_url))
    log_path = tmp / "gateway.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "--config", str(config), "--host", "127.0.0.1", "--port", "0"],
            cwd=tmp, env=_clean_env(tmp), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    gw = Gateway(base_url="", log_path=log_path, process=process)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not gw.base_url:
        for line in gw.log().splitlines():
            if "listening on " in line:
                match = _LISTENING.search(line)
                if match:
                    gw.base_url = "http://" + match.group(1).rstrip(".,;")
                break
        if gw.base_url:
            break
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
                process.wait()
            pytest.fail(
                f"gateway did not log 'listening on' within {START_TIMEOUT_S:.0f}s "
                f"(exit code {process.returncode}); its log:\n{gw.log()}",
                pytrace=False,
            )
        time.sleep(0.05)
    _gateway_for_reports = gw
    yield gw
    _gateway_for_reports = None
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"gateway ignored SIGTERM for {STOP_TIMEOUT_S:.0f}s; its log:\n{gw.log()}", pytrace=False)
    assert process.returncode == 0, f"gateway exited {process.returncode} after SIGTERM; its log:\n{gw.log()}"


@pytest.fixture(scope="session")
def openai_client(gateway: Gateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key=MASTER_KEY, max_retries=0, timeout=30)


@pytest.fixture(scope="session")
def anthropic_client(gateway: Gateway) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=gateway.base_url, api_key=MASTER_KEY, max_retries=0, timeout=30)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and _gateway_for_reports is not None:
        tail = "\n".join(_gateway_for_reports.log().splitlines()[-40:])
        report.sections.append(("gateway log (last 40 lines)", tail))
