/**
 * The real gateway for the tests: the built `tollgate` binary ($TOLLGATE_BIN, else
 * <repo>/target/debug/tollgate, else $CARGO_TARGET_DIR/debug/tollgate) on port 0. Its models need
 * no provider: `demo` answers with mock_response (priced), `limited` with the mock's 429, and
 * `slow` points at a local listener that accepts connections and never answers (for deadlines).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const MASTER_KEY = "sk-sdk-test-master-key-0123456789";
export const DEMO_REPLY = "Hello from Tollgate!";

// dist-test/test/gateway.js -> the repository root, four levels up.
const REPO = resolve(fileURLToPath(import.meta.url), "../../../../..");

export interface Gateway {
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  stop(): Promise<void>;
}

function binary(): string {
  const candidates = [
    process.env.TOLLGATE_BIN,
    join(REPO, "target", "debug", "tollgate"),
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, "debug", "tollgate"),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`tollgate binary not found (tried ${candidates.join(", ")}); ` +
      "run `cargo build -p tollgate --bin tollgate` or set TOLLGATE_BIN");
  }
  return found;
}

/** A listener that accepts connections and never answers. */
async function silentUpstream(): Promise<{ base: string; server: Server; held: Socket[] }> {
  const held: Socket[] = [];
  const server = createServer((socket) => held.push(socket));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { base: `http://127.0.0.1:${port}/v1`, server, held };
}

function config(silentBase: string): string {
  return `model_list:
  - model_name: demo
    litellm_params:
      model: openai/demo
      mock_response: "${DEMO_REPLY}"
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
  - model_name: limited
    litellm_params:
      model: openai/limited
      mock_response: "litellm.RateLimitError"
  - model_name: slow
    litellm_params:
      model: openai/slow
      api_base: "${silentBase}"
      api_key: sk-upstream-never-called
router_settings:
  num_retries: 0
general_settings:
  master_key: ${MASTER_KEY}
`;
}

function environment(home: string): NodeJS.ProcessEnv {
  const drop = new Set(["DATABASE_URL", "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD",
    "LITELLM_MASTER_KEY", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop.has(k.toUpperCase())));
  return { ...env, TOLLGATE_MASTER_KEY: MASTER_KEY, NO_COLOR: "1", HOME: home, RUST_LOG: "info" };
}

export async function startGateway(): Promise<Gateway> {
  const upstream = await silentUpstream();
  const dir = mkdtempSync(join(tmpdir(), "tollgate-ts-sdk-"));
  writeFileSync(join(dir, "config.yaml"), config(upstream.base));
  const child: ChildProcess = spawn(binary(), ["--config", "config.yaml", "--host", "127.0.0.1", "--port", "0"], {
    cwd: dir,
    env: environment(dir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const baseUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`gateway did not start in 60s; log:\n${log.join("\n")}`)), 60_000);
    child.once("exit", (code) => fail(new Error(`gateway exited ${code}; log:\n${log.join("\n")}`)));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on("line", (raw) => {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
        log.push(line);
        const match = /listening on (?:https?:\/\/)?(\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          ok(`http://${match[1]!.replace(/[.,;]+$/, "")}`);
        }
      });
    }
  });
  return {
    baseUrl,
    async stop() {
      const exited = new Promise((ok) => child.once("exit", ok));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
      upstream.held.forEach((s) => s.destroy());
      upstream.server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
