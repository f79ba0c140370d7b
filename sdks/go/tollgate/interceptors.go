package tollgate

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// bearer sends the key as `authorization: Bearer <key>` on every call.
type bearer struct {
	key    string
	secure bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.key}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.secure }

// withDefaultDeadline gives ctx the client's default timeout unless it already has a deadline.
func withDefaultDeadline(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, timeout)
}

// unaryInterceptor applies the default deadline and turns failures into *Error.
func unaryInterceptor(timeout time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		ctx, cancel := withDefaultDeadline(ctx, timeout)
		defer cancel()
		var header, trailer metadata.MD
		opts = append(opts, grpc.Header(&header), grpc.Trailer(&trailer))
		return fromRPC(invoker(ctx, method, req, reply, cc, opts...), header, trailer)
	}
}

// streamInterceptor applies the default deadline to the whole stream and turns failures into
// *Error; the deadline's timer is released when the stream ends.
func streamInterceptor(timeout time.Duration) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
		streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		ctx, cancel := withDefaultDeadline(ctx, timeout)
		stream, err := streamer(ctx, desc, cc, method, opts...)
		if err != nil {
			cancel()
			return nil, fromRPC(err)
		}
		return &mappedStream{ClientStream: stream, cancel: cancel}, nil
	}
}

type mappedStream struct {
	grpc.ClientStream
	cancel context.CancelFunc
	once   sync.Once
}

func (s *mappedStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err == nil {
		return nil
	}
	header, _ := s.Header()
	mapped := fromRPC(err, header, s.Trailer())
	s.once.Do(s.cancel)
	return mapped
}
