/**
 * Node entry point: everything of the main entry plus the native gRPC transport (HTTP/2).
 *
 *     import { Tollgate, grpcTransport, user } from "@tollgate/sdk/node";
 *     const tg = new Tollgate(grpcTransport({ baseUrl: "http://localhost:4000", apiKey: "sk-..." }));
 */
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

import { authInterceptor, DEFAULT_TIMEOUT_MS, type TransportOptions } from "./transport.js";

export * from "./index.js";

/** gRPC over HTTP/2 (Node only). */
export function grpcTransport(options: TransportOptions): Transport {
  return createGrpcTransport({
    baseUrl: options.baseUrl,
    interceptors: [authInterceptor(options.apiKey), ...(options.interceptors ?? [])],
    defaultTimeoutMs: options.timeoutMs || DEFAULT_TIMEOUT_MS,
  });
}
