/**
 * TypeScript client of the Tollgate LLM gateway over gRPC-Web (browsers and Node); the Node-only
 * gRPC (HTTP/2) transport is in the `./node` entry point.
 *
 *     import { Tollgate, grpcWebTransport, user, messageText } from "@tollgate/sdk";
 *     const tg = new Tollgate(grpcWebTransport({ baseUrl: "http://localhost:4000", apiKey: "sk-..." }));
 *     const reply = await tg.chat("gpt-4o-mini", [user("Hello!")]);
 *     console.log(messageText(reply.choices[0]?.message));
 */
export { Tollgate, type ChatParams, type EmbedParams } from "./client.js";
export * from "./errors.js";
export * from "./messages.js";
export { authInterceptor, DEFAULT_TIMEOUT_MS, grpcWebTransport, type TransportOptions } from "./transport.js";
export * from "./gen/tollgate/v1/audit_pb.js";
export * from "./gen/tollgate/v1/budgets_pb.js";
export * from "./gen/tollgate/v1/completions_pb.js";
export * from "./gen/tollgate/v1/customers_pb.js";
export * from "./gen/tollgate/v1/directory_pb.js";
export * from "./gen/tollgate/v1/keys_pb.js";
export * from "./gen/tollgate/v1/models_pb.js";
export * from "./gen/tollgate/v1/organizations_pb.js";
export * from "./gen/tollgate/v1/spend_pb.js";
export * from "./gen/tollgate/v1/teams_pb.js";
export * from "./gen/tollgate/v1/users_pb.js";
