/**
 * Errors of the Tollgate client: one class per error type of the gateway.
 *
 * The gateway maps every failure once to a gRPC status and puts its OpenAI error type
 * (`budget_exceeded`, `rate_limit_error`, ...) in `x-tollgate-error-type` metadata, with the call
 * id in `x-tollgate-call-id` and, for limits, `retry-after` seconds. `toTollgateError` turns a
 * `ConnectError` into the matching subclass, chosen by that type when the gateway sent one and by
 * the gRPC code otherwise (a client-side deadline, an unreachable gateway).
 */
import { Code, ConnectError } from "@connectrpc/connect";

/** A failed call. `errorType` is the gateway's OpenAI error type ("" if it sent none). */
export class TollgateError extends Error {
  /** The gRPC status code. */
  readonly code: Code;
  /** The gateway's error type, e.g. "budget_exceeded"; "" when the gateway did not answer. */
  readonly errorType: string;
  /** The gateway's call id (as in spend logs and its logs), if it sent one. */
  readonly callId: string | undefined;
  /** Milliseconds to wait before retrying a rate-limited call, if known. */
  readonly retryAfterMs: number | undefined;
  /** Response headers and trailers of the failed call. */
  readonly metadata: Headers;
  /** The message without the status prefix. */
  readonly rawMessage: string;

  constructor(cause: ConnectError) {
    const errorType = cause.metadata.get("x-tollgate-error-type") ?? "";
    const callId = cause.metadata.get("x-tollgate-call-id") ?? undefined;
    const kind = errorType || Code[cause.code];
    super(`${kind}: ${cause.rawMessage}${callId ? ` (call id ${callId})` : ""}`, { cause });
    this.name = new.target.name;
    this.code = cause.code;
    this.errorType = errorType;
    this.callId = callId;
    this.metadata = cause.metadata;
    this.rawMessage = cause.rawMessage;
    const retryAfter = Number(cause.metadata.get("retry-after") ?? NaN);
    this.retryAfterMs = Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined;
  }
}

/** The request is malformed or names something invalid (`invalid_request_error`). */
export class InvalidRequestError extends TollgateError {}
/** No key, or an unknown, expired or blocked key (`authentication_error`). */
export class AuthenticationError extends TollgateError {}
/** The key may not use this model, route or resource (`permission_denied`). */
export class PermissionDeniedError extends TollgateError {}
/** The named key, team, model, ... does not exist (`not_found`). */
export class NotFoundError extends TollgateError {}
/** A budget on the call's path cannot take it (`budget_exceeded`). */
export class BudgetExceededError extends TollgateError {}
/** A rate limit refused the call (`rate_limit_error`); see `retryAfterMs`. */
export class RateLimitError extends TollgateError {}
/** The call's deadline passed, on the client or at the gateway (`timeout`). */
export class DeadlineExceededError extends TollgateError {}
/** The provider failed or could not be reached (`api_error`, `api_connection_error`). */
export class UpstreamError extends TollgateError {}
/** The gateway cannot serve now or cannot be reached (`service_unavailable`). */
export class UnavailableError extends TollgateError {}
/** A bug or infrastructure failure of the gateway (`internal_error`). */
export class InternalError extends TollgateError {}

type ErrorClass = new (cause: ConnectError) => TollgateError;

const byType: Record<string, ErrorClass> = {
  invalid_request_error: InvalidRequestError,
  authentication_error: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  budget_exceeded: BudgetExceededError,
  rate_limit_error: RateLimitError,
  timeout: DeadlineExceededError,
  api_error: UpstreamError,
  api_connection_error: UpstreamError,
  service_unavailable: UnavailableError,
  internal_error: InternalError,
};

const byCode: Partial<Record<Code, ErrorClass>> = {
  [Code.InvalidArgument]: InvalidRequestError,
  [Code.Unauthenticated]: AuthenticationError,
  [Code.PermissionDenied]: PermissionDeniedError,
  [Code.NotFound]: NotFoundError,
  [Code.FailedPrecondition]: BudgetExceededError,
  [Code.ResourceExhausted]: RateLimitError,
  [Code.DeadlineExceeded]: DeadlineExceededError,
  [Code.Unavailable]: UnavailableError,
  [Code.Internal]: InternalError,
};

/** The `TollgateError` for a failed call (anything else is returned unchanged). */
export function toTollgateError(reason: unknown): unknown {
  if (reason instanceof TollgateError) {
    return reason;
  }
  if (!(reason instanceof ConnectError)) {
    return reason;
  }
  const errorType = reason.metadata.get("x-tollgate-error-type") ?? "";
  const cls = byType[errorType] ?? byCode[reason.code] ?? (isNetworkFailure(reason) ? UnavailableError : TollgateError);
  return new cls(reason);
}

/** `fetch` rejects with a TypeError when it cannot reach the server (gRPC-Web transport). */
function isNetworkFailure(err: ConnectError): boolean {
  return err.code === Code.Unknown && err.cause instanceof TypeError;
}
