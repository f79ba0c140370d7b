/**
 * The SDK against the live gateway, once per transport (gRPC over HTTP/2 and gRPC-Web over
 * fetch): completions (unary, streaming, embeddings), auth metadata, deadlines, error mapping, a
 * key lifecycle, a team and a spend query.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import type { Transport } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";

import {
  AuthenticationError,
  BudgetExceededError,
  type ChatChunk,
  DeadlineExceededError,
  grpcTransport,
  grpcWebTransport,
  messageText,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  Role,
  type SpendLog,
  TeamRole,
  Tollgate,
  TollgateError,
  type TransportOptions,
  UnavailableError,
  user,
} from "../src/node.js";
import { DEMO_REPLY, type Gateway, MASTER_KEY, startGateway } from "./gateway.js";

const HELLO = [user("Hello?")];

let gateway: Gateway;
before(async () => {
  gateway = await startGateway();
});
after(async () => {
  await gateway?.stop();
});

const transports: [string, (o: TransportOptions) => Transport][] = [
  ["grpc", grpcTransport],
  ["grpc-web", grpcWebTransport],
];

for (const [name, makeTransport] of transports) {
  describe(`over ${name}`, () => {
    const connect = (apiKey: string, timeoutMs = 30_000) =>
      new Tollgate(makeTransport({ baseUrl: gateway.baseUrl, apiKey, timeoutMs }));
    const admin = () => connect(MASTER_KEY);
    const newKey = async (init: Parameters<Tollgate["keys"]["generateKey"]>[0]) =>
      (await admin().keys.generateKey(init)).key!.key!;

    // A unary chat returns the mock's reply with usage and the gateway's call info.
    test("chat returns the reply and call info", async () => {
      const reply = await admin().chat("demo", [{ role: "system", content: "Be brief." }, ...HELLO], { maxTokens: 50 });
      assert.equal(messageText(reply.choices[0]?.message), DEMO_REPLY);
      assert.equal(reply.choices[0]?.message?.role, Role.ASSISTANT);
      assert.ok(reply.usage!.completionTokens > 0n);
      assert.ok(reply.callInfo!.callId);
      assert.equal(reply.callInfo!.modelGroup, "demo");
      assert.ok(reply.callInfo!.responseCost > 0);
    });

    // A streamed chat yields chunks that concatenate to the reply; the first carries call info.
    test("chatStream concatenates to the reply", async () => {
      const chunks: ChatChunk[] = [];
      for await (const chunk of admin().chatStream("demo", HELLO, { streamOptions: { includeUsage: true } })) {
        chunks.push(chunk);
      }
      assert.ok(chunks.length > 1);
      assert.ok(chunks[0]!.callInfo!.callId);
      assert.equal(chunks.flatMap((c) => c.choices.map((x) => x.delta?.content ?? "")).join(""), DEMO_REPLY);
      assert.ok(chunks.at(-1)!.usage!.totalTokens > 0n);
    });

    // Leaving a stream early cancels it, and the client stays usable.
    test("chatStream can stop early", async () => {
      const client = admin();
      for await (const chunk of client.chatStream("demo", HELLO)) {
        assert.ok(chunk.callInfo!.callId);
        break;
      }
      assert.equal(messageText((await client.chat("demo", HELLO)).choices[0]?.message), DEMO_REPLY);
    });

    // Embeddings return one vector per input, in order.
    test("embed returns one vector per input", async () => {
      const response = await admin().embed("demo", ["one", "two"]);
      assert.deepEqual(response.data.map((e) => e.index), [0, 1]);
      assert.ok(response.data.every((e) => e.values.length > 0));
    });

    // The model list shows the configured models.
    test("models list", async () => {
      const ids = (await admin().models.listModels({})).data.map((m) => m.id);
      for (const id of ["demo", "limited", "slow"]) assert.ok(ids.includes(id), `${id} in ${ids}`);
    });

    // The key travels as `authorization` metadata: an unknown key is an AuthenticationError.
    test("unknown key is AuthenticationError", async () => {
      const err = await rejection(connect("sk-not-a-real-key-0000000000000").chat("demo", HELLO), AuthenticationError);
      assert.equal(err.errorType, "authentication_error");
      assert.equal(err.code, Code.Unauthenticated);
      assert.ok(err.callId);
    });

    // A key limited to other models gets PermissionDeniedError naming the model.
    test("forbidden model is PermissionDeniedError", async () => {
      const key = await newKey({ models: ["demo"] });
      const err = await rejection(connect(key).chat("slow", HELLO), PermissionDeniedError);
      assert.match(err.rawMessage, /slow/);
    });

    // A key whose budget is spent gets BudgetExceededError before the provider is called.
    test("spent budget is BudgetExceededError", async () => {
      const key = await newKey({ maxBudget: 0.01, spend: 0.01 });
      const err = await rejection(connect(key).chat("demo", HELLO), BudgetExceededError);
      assert.equal(err.errorType, "budget_exceeded");
    });

    // A provider 429 arrives as RateLimitError.
    test("upstream 429 is RateLimitError", async () => {
      const err = await rejection(admin().chat("limited", HELLO), RateLimitError);
      assert.equal(err.code, Code.ResourceExhausted);
    });

    // Info on a key that does not exist is NotFoundError, a TollgateError.
    test("unknown key info is NotFoundError", async () => {
      const err = await rejection(admin().keys.getKeyInfo({ key: "sk-does-not-exist-00000000000000" }), NotFoundError);
      assert.ok(err instanceof TollgateError);
    });

    // A per-call deadline cuts a call to a provider that never answers, quickly.
    test("per-call deadline is DeadlineExceededError", async () => {
      const started = Date.now();
      const err = await rejection(admin().chat("slow", HELLO, {}, { timeoutMs: 500 }), DeadlineExceededError);
      assert.equal(err.code, Code.DeadlineExceeded);
      assert.ok(Date.now() - started < 5000);
    });

    // The client's default deadline applies to streams as well.
    test("default deadline applies to streams", async () => {
      const stream = connect(MASTER_KEY, 500).chatStream("slow", HELLO);
      await rejection((async () => { for await (const _ of stream); })(), DeadlineExceededError);
    });

    // A gateway that cannot be reached is UnavailableError.
    test("unreachable gateway is UnavailableError", async () => {
      const client = new Tollgate(makeTransport({ baseUrl: "http://127.0.0.1:1", apiKey: "sk-x", timeoutMs: 5000 }));
      await rejection(client.models.listModels({}), UnavailableError);
    });

    // generate → use → info → update → list → block/unblock → regenerate → delete.
    test("key lifecycle", async () => {
      const tg = admin();
      const alias = `sdk-ts-lifecycle-${name}`;
      const created = (await tg.keys.generateKey({ keyAlias: alias, models: ["demo"], maxBudget: 5, metadata: { owner: "sdk-tests" } })).key!;
      assert.match(created.key!, /^sk-/);
      assert.equal(messageText((await connect(created.key!).chat("demo", HELLO)).choices[0]?.message), DEMO_REPLY);
      const info = (await tg.keys.getKeyInfo({ key: created.key! })).info!;
      assert.equal(info.keyAlias, alias);
      assert.deepEqual(info.metadata, { owner: "sdk-tests" });
      assert.equal((await tg.keys.updateKey({ key: created.key!, maxBudget: 7.5 })).key!.maxBudget, 7.5);
      assert.deepEqual((await tg.keys.listKeys({ keyAlias: alias })).keys.map((k) => k.token), [created.token]);
      await tg.keys.blockKey({ key: created.key! });
      await rejection(connect(created.key!).chat("demo", HELLO), AuthenticationError);
      await tg.keys.unblockKey({ key: created.key! });
      const renewed = (await tg.keys.regenerateKey({ key: created.key! })).key!;
      assert.notEqual(renewed.key, created.key);
      assert.deepEqual((await tg.keys.deleteKeys({ keys: [renewed.key!] })).deletedKeys, [renewed.key]);
      await rejection(tg.keys.getKeyInfo({ key: renewed.key! }), NotFoundError);
    });

    // A team is created, gets a member and a key, and is deleted with its keys.
    test("team with a member and a key", async () => {
      const tg = admin();
      const teamId = `sdk-ts-team-${name}`;
      await tg.teams.newTeam({ teamId, models: ["demo"] });
      await tg.teams.addTeamMembers({ teamId, member: [{ userId: `sdk-ts-user-${name}`, role: TeamRole.ADMIN }] });
      await newKey({ teamId });
      const info = await tg.teams.getTeamInfo({ teamId });
      assert.deepEqual(info.teamMemberships.map((m) => m.userId), [`sdk-ts-user-${name}`]);
      assert.equal((await tg.teams.deleteTeams({ teamIds: [teamId] })).deletedKeys, 1n);
    });

    // A key's calls show up in its spend logs (written in batches) with tokens and cost.
    test("spend logs of a key", async () => {
      const key = await newKey({ models: ["demo"] });
      const reply = await connect(key).chat("demo", HELLO);
      let logs: SpendLog[] = [];
      for (const deadline = Date.now() + 20_000; logs.length === 0 && Date.now() < deadline;) {
        logs = (await admin().spend.getSpendLogs({ apiKey: key })).logs;
        if (logs.length === 0) await new Promise((ok) => setTimeout(ok, 200));
      }
      assert.deepEqual(logs.map((l) => l.requestId), [reply.callInfo!.callId]);
      assert.ok(logs[0]!.totalTokens > 0n);
      assert.ok(Math.abs(logs[0]!.spend - reply.callInfo!.responseCost) < 1e-9);
    });
  });
}

/** Awaits a rejection and checks it is an instance of `cls`. */
async function rejection<E extends TollgateError>(promise: Promise<unknown>, cls: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${cls.name}, but the call succeeded`);
}
