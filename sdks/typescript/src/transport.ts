/**
 * The gRPC-Web transport (browsers and Node, over fetch) and the pieces every transport needs:
 * the key as `authorization: Bearer <key>` metadata and a default deadline. The Node gRPC
 * (HTTP/2) transport is in `./node.js`, so browser bundles never import Node modules.
 */
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";

/** Options of the transports. */
export interface TransportOptions {
  /** The gateway's address, e.g. `http://localhost:4000`. */
  baseUrl: string;
  /** A Tollgate key (`sk-...`), sent on every call. */
  apiKey: string;
  /** Default deadline of every call in milliseconds (0 or absent: 10 minutes). */
  timeoutMs?: number;
  /** More interceptors, run after the key is set. */
  interceptors?: Interceptor[];
}

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** Sets `authorization: Bearer <key>` on every request. */
export function authInterceptor(apiKey: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${apiKey}`);
    return next(req);
  };
}

/** gRPC-Web (HTTP/1.1 or HTTP/2 over `fetch`): works in browsers and in Node. */
export function grpcWebTransport(options: TransportOptions): Transport {
  return createGrpcWebTransport({
    baseUrl: options.baseUrl,
    interceptors: [authInterceptor(options.apiKey), ...(options.interceptors ?? [])],
    defaultTimeoutMs: options.timeoutMs || DEFAULT_TIMEOUT_MS,
  });
}
