package tollgate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Metadata keys the gateway sets on every error status.
const (
	errorTypeKey  = "x-tollgate-error-type"
	callIDKey     = "x-tollgate-call-id"
	retryAfterKey = "retry-after"
)

// Sentinel errors, one per error type of the gateway. Every *Error unwraps to one of them, so
// errors.Is(err, tollgate.ErrBudgetExceeded) tells what happened and errors.As gives the details.
var (
	ErrInvalidRequest   = errors.New("tollgate: invalid request")
	ErrAuthentication   = errors.New("tollgate: authentication failed")
	ErrPermissionDenied = errors.New("tollgate: permission denied")
	ErrNotFound         = errors.New("tollgate: not found")
	ErrBudgetExceeded   = errors.New("tollgate: budget exceeded")
	ErrRateLimited      = errors.New("tollgate: rate limited")
	ErrDeadlineExceeded = errors.New("tollgate: deadline exceeded")
	ErrUpstream         = errors.New("tollgate: provider error")
	ErrUnavailable      = errors.New("tollgate: unavailable")
	ErrInternal         = errors.New("tollgate: internal error")
	ErrUnknown          = errors.New("tollgate: error")
)

var byType = map[string]error{
	"invalid_request_error": ErrInvalidRequest,
	"authentication_error":  ErrAuthentication,
	"permission_denied":     ErrPermissionDenied,
	"not_found":             ErrNotFound,
	"budget_exceeded":       ErrBudgetExceeded,
	"rate_limit_error":      ErrRateLimited,
	"timeout":               ErrDeadlineExceeded,
	"api_error":             ErrUpstream,
	"api_connection_error":  ErrUpstream,
	"service_unavailable":   ErrUnavailable,
	"internal_error":        ErrInternal,
}

var byCode = map[codes.Code]error{
	codes.InvalidArgument:    ErrInvalidRequest,
	codes.Unauthenticated:    ErrAuthentication,
	codes.PermissionDenied:   ErrPermissionDenied,
	codes.NotFound:           ErrNotFound,
	codes.FailedPrecondition: ErrBudgetExceeded,
	codes.ResourceExhausted:  ErrRateLimited,
	codes.DeadlineExceeded:   ErrDeadlineExceeded,
	codes.Unavailable:        ErrUnavailable,
	codes.Internal:           ErrInternal,
}

// Error is a failed call: the gRPC status plus what the gateway said about it.
type Error struct {
	// Code is the gRPC status code.
	Code codes.Code
	// Type is the gateway's OpenAI error type ("budget_exceeded", ...); empty when the failure
	// happened before the gateway answered (a client deadline, an unreachable gateway).
	Type string
	// Message is the gateway's message.
	Message string
	// CallID is the gateway's call id (as in spend logs and its log lines), if it sent one.
	CallID string
	// RetryAfter is how long to wait before retrying a rate-limited call, if known.
	RetryAfter time.Duration

	kind error
}

func (e *Error) Error() string {
	kind := e.Type
	if kind == "" {
		kind = e.Code.String()
	}
	if e.CallID != "" {
		return fmt.Sprintf("tollgate: %s: %s (call id %s)", kind, e.Message, e.CallID)
	}
	return fmt.Sprintf("tollgate: %s: %s", kind, e.Message)
}

// Unwrap gives the sentinel of the error's kind and, for deadlines, context.DeadlineExceeded.
func (e *Error) Unwrap() []error {
	if e.kind == ErrDeadlineExceeded {
		return []error{e.kind, context.DeadlineExceeded}
	}
	return []error{e.kind}
}

// GRPCStatus keeps status.FromError and status.Code working on wrapped errors.
func (e *Error) GRPCStatus() *status.Status { return status.New(e.Code, e.Message) }

// fromRPC turns a gRPC error and the response metadata seen with it into an *Error. Errors that
// are not gRPC statuses (e.g. io.EOF) are returned unchanged.
func fromRPC(err error, mds ...metadata.MD) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	md := metadata.Join(mds...)
	out := &Error{Code: st.Code(), Message: st.Message(), Type: first(md, errorTypeKey), CallID: first(md, callIDKey)}
	if secs, perr := strconv.Atoi(first(md, retryAfterKey)); perr == nil {
		out.RetryAfter = time.Duration(secs) * time.Second
	}
	switch {
	case byType[out.Type] != nil:
		out.kind = byType[out.Type]
	case byCode[out.Code] != nil:
		out.kind = byCode[out.Code]
	default:
		out.kind = ErrUnknown
	}
	return out
}

func first(md metadata.MD, key string) string {
	if values := md.Get(key); len(values) > 0 {
		return values[0]
	}
	return ""
}
