/**
 * `Tollgate`: the client. The generated client of every `tollgate.v1` service is a property
 * (`completions`, `keys`, `teams`, `spend`, `models`, ...), with every failure turned into a
 * `TollgateError` subclass; `chat`, `chatStream` and `embed` are shortcuts for the common calls.
 */
import type { DescService, MessageInitShape } from "@bufbuild/protobuf";
import { type CallOptions, type Client, createClient, type Transport } from "@connectrpc/connect";

import { toTollgateError } from "./errors.js";
import { AuditService } from "./gen/tollgate/v1/audit_pb.js";
import { BudgetsService, TagsService } from "./gen/tollgate/v1/budgets_pb.js";
import {
  type ChatChunk,
  type ChatRequestSchema,
  type ChatResponse,
  CompletionsService,
  type EmbedRequestSchema,
  type EmbedResponse,
} from "./gen/tollgate/v1/completions_pb.js";
import { CustomersService } from "./gen/tollgate/v1/customers_pb.js";
import { KeysService } from "./gen/tollgate/v1/keys_pb.js";
import { ModelsService } from "./gen/tollgate/v1/models_pb.js";
import { OrganizationsService } from "./gen/tollgate/v1/organizations_pb.js";
import { SpendService } from "./gen/tollgate/v1/spend_pb.js";
import { TeamsService } from "./gen/tollgate/v1/teams_pb.js";
import { UsersService } from "./gen/tollgate/v1/users_pb.js";
import { type MessageLike, toChatMessage } from "./messages.js";

/** More `ChatRequest` fields (temperature, maxTokens, tools, ...), without model and messages. */
export type ChatParams = Omit<MessageInitShape<typeof ChatRequestSchema>, "model" | "messages" | "$typeName">;
/** More `EmbedRequest` fields (dimensions, user, ...). */
export type EmbedParams = Omit<MessageInitShape<typeof EmbedRequestSchema>, "model" | "input" | "$typeName">;

/** A Tollgate gateway, reached through a transport made by `grpcWebTransport` or `grpcTransport`. */
export class Tollgate {
  readonly completions: Client<typeof CompletionsService>;
  readonly models: Client<typeof ModelsService>;
  readonly keys: Client<typeof KeysService>;
  readonly teams: Client<typeof TeamsService>;
  readonly users: Client<typeof UsersService>;
  readonly organizations: Client<typeof OrganizationsService>;
  readonly customers: Client<typeof CustomersService>;
  readonly spend: Client<typeof SpendService>;
  readonly budgets: Client<typeof BudgetsService>;
  readonly tags: Client<typeof TagsService>;
  readonly audit: Client<typeof AuditService>;

  constructor(transport: Transport) {
    this.completions = client(CompletionsService, transport);
    this.models = client(ModelsService, transport);
    this.keys = client(KeysService, transport);
    this.teams = client(TeamsService, transport);
    this.users = client(UsersService, transport);
    this.organizations = client(OrganizationsService, transport);
    this.customers = client(CustomersService, transport);
    this.spend = client(SpendService, transport);
    this.budgets = client(BudgetsService, transport);
    this.tags = client(TagsService, transport);
    this.audit = client(AuditService, transport);
  }

  /** One chat completion. `options.timeoutMs` / `options.signal` bound this call. */
  chat(model: string, messages: MessageLike[], params: ChatParams = {}, options?: CallOptions): Promise<ChatResponse> {
    return this.completions.chat({ ...params, model, messages: messages.map(toChatMessage) }, options);
  }

  /** A streamed chat completion: the chunks, the first carrying `callInfo`. Leaving the loop
   * early cancels the call. */
  async *chatStream(
    model: string,
    messages: MessageLike[],
    params: ChatParams = {},
    options?: CallOptions,
  ): AsyncGenerator<ChatChunk> {
    const request = { ...params, model, messages: messages.map(toChatMessage) };
    // Our own signal, so that leaving the loop early cancels the call at once.
    const controller = new AbortController();
    const outer = options?.signal;
    const forward = () => controller.abort(outer?.reason);
    outer?.addEventListener("abort", forward, { once: true });
    const stream = this.completions.chatStream({ request }, { ...options, signal: controller.signal });
    const messages_ = stream[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const next = await messages_.next();
        if (next.done) {
          finished = true;
          return;
        }
        if (next.value.chunk) {
          yield next.value.chunk;
        }
      }
    } catch (err) {
      finished = true;
      throw err;
    } finally {
      outer?.removeEventListener("abort", forward);
      if (!finished) {
        // Left early: cancel, and read on (already buffered chunks, then the cancellation) so
        // the transport releases the call, its deadline timer included, now.
        controller.abort();
        try {
          while (!(await messages_.next()).done);
        } catch {
          // the cancellation itself
        }
      }
    }
  }

  /** Embeddings of one text or several: one vector per input, in order. */
  embed(model: string, input: string | string[], params: EmbedParams = {}, options?: CallOptions): Promise<EmbedResponse> {
    return this.completions.embed({ ...params, model, input: typeof input === "string" ? [input] : input }, options);
  }
}

/** A generated client whose failures are `TollgateError`s, for unary and streaming methods. */
function client<S extends DescService>(service: S, transport: Transport): Client<S> {
  const inner = createClient(service, transport) as Record<string, (...args: unknown[]) => unknown>;
  const wrapped: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of Object.keys(inner)) {
    const method = inner[name];
    wrapped[name] = (...args: unknown[]) => {
      const result = method(...args);
      if (result instanceof Promise) {
        return result.catch((reason: unknown) => {
          throw toTollgateError(reason);
        });
      }
      return mapStreamErrors(result as AsyncIterable<unknown>);
    };
  }
  return wrapped as Client<S>;
}

async function* mapStreamErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (reason) {
    throw toTollgateError(reason);
  }
}
