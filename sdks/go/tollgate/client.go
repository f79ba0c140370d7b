// Package tollgate is the Go client of the Tollgate LLM gateway, over gRPC.
//
// The generated clients of every tollgate.v1 service are fields of Client (Completions, Keys,
// Teams, Spend, Models, Budgets, ...), so every RPC is available with its generated types; Chat,
// ChatStream and Embed are shortcuts for the common calls. Every call carries the key as
// `authorization: Bearer <key>` metadata and the client's default deadline (unless the context
// has one), and fails with an *Error that unwraps to one sentinel per gateway error type:
//
//	client, err := tollgate.New("localhost:4000", "sk-...")
//	if err != nil { ... }
//	defer client.Close()
//	reply, err := client.Chat(ctx, "gpt-4o-mini", tollgate.User("Hello!"))
//	if errors.Is(err, tollgate.ErrBudgetExceeded) { ... }
//	fmt.Println(reply.GetChoices()[0].GetMessage().GetText())
package tollgate

import (
	"crypto/tls"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	tollgatev1 "github.com/tollgate/tollgate/sdks/go/gen/tollgate/v1"
)

// DefaultTimeout is the deadline of a call whose context has none.
const DefaultTimeout = 10 * time.Minute

// Client is a connection to a gateway, authenticated with one key. It is safe for concurrent
// use; Close it when done.
type Client struct {
	Completions   tollgatev1.CompletionsServiceClient
	Models        tollgatev1.ModelsServiceClient
	Keys          tollgatev1.KeysServiceClient
	Teams         tollgatev1.TeamsServiceClient
	Users         tollgatev1.UsersServiceClient
	Organizations tollgatev1.OrganizationsServiceClient
	Customers     tollgatev1.CustomersServiceClient
	Spend         tollgatev1.SpendServiceClient
	Budgets       tollgatev1.BudgetsServiceClient
	Tags          tollgatev1.TagsServiceClient
	Audit         tollgatev1.AuditServiceClient

	conn *grpc.ClientConn
}

type config struct {
	timeout time.Duration
	creds   credentials.TransportCredentials
	dial    []grpc.DialOption
}

// Option configures New.
type Option func(*config)

// WithTimeout sets the default deadline of calls whose context has none (0: no deadline).
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithTLS connects over TLS (nil: the system roots). An `https://` target implies it.
func WithTLS(cfg *tls.Config) Option {
	return func(c *config) { c.creds = credentials.NewTLS(cfg) }
}

// WithDialOptions adds gRPC dial options (interceptors, keepalive, ...).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(c *config) { c.dial = append(c.dial, opts...) }
}

// New connects to target: `host:port` or `http://host:port` (plaintext), `https://host[:port]`
// (TLS). The connection is made lazily, on the first call.
func New(target, apiKey string, opts ...Option) (*Client, error) {
	cfg := config{timeout: DefaultTimeout}
	if strings.HasPrefix(target, "https://") {
		cfg.creds = credentials.NewTLS(nil)
		target = strings.TrimPrefix(target, "https://")
		if !strings.Contains(target, ":") {
			target += ":443"
		}
	}
	target = strings.TrimSuffix(strings.TrimPrefix(target, "http://"), "/")
	for _, opt := range opts {
		opt(&cfg)
	}
	secure := cfg.creds != nil
	if !secure {
		cfg.creds = insecure.NewCredentials()
	}
	dial := append([]grpc.DialOption{
		grpc.WithTransportCredentials(cfg.creds),
		grpc.WithPerRPCCredentials(bearer{key: apiKey, secure: secure}),
		grpc.WithChainUnaryInterceptor(unaryInterceptor(cfg.timeout)),
		grpc.WithChainStreamInterceptor(streamInterceptor(cfg.timeout)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20)),
	}, cfg.dial...)
	conn, err := grpc.NewClient(target, dial...)
	if err != nil {
		return nil, err
	}
	return &Client{
		Completions:   tollgatev1.NewCompletionsServiceClient(conn),
		Models:        tollgatev1.NewModelsServiceClient(conn),
		Keys:          tollgatev1.NewKeysServiceClient(conn),
		Teams:         tollgatev1.NewTeamsServiceClient(conn),
		Users:         tollgatev1.NewUsersServiceClient(conn),
		Organizations: tollgatev1.NewOrganizationsServiceClient(conn),
		Customers:     tollgatev1.NewCustomersServiceClient(conn),
		Spend:         tollgatev1.NewSpendServiceClient(conn),
		Budgets:       tollgatev1.NewBudgetsServiceClient(conn),
		Tags:          tollgatev1.NewTagsServiceClient(conn),
		Audit:         tollgatev1.NewAuditServiceClient(conn),
		conn:          conn,
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
