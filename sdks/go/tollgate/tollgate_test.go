package tollgate_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	tollgatev1 "github.com/tollgate/tollgate/sdks/go/gen/tollgate/v1"
	"github.com/tollgate/tollgate/sdks/go/tollgate"
)

func connect(t *testing.T, key string, opts ...tollgate.Option) *tollgate.Client {
	t.Helper()
	client, err := tollgate.New(gatewayTarget, key, append([]tollgate.Option{tollgate.WithTimeout(30 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func newKey(t *testing.T, admin *tollgate.Client, req *tollgatev1.GenerateKeyRequest) string {
	t.Helper()
	resp, err := admin.Keys.GenerateKey(context.Background(), req)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	return resp.GetKey().GetKey()
}

// asError checks that err is a *tollgate.Error of the wanted kind and returns it.
func asError(t *testing.T, err error, kind error) *tollgate.Error {
	t.Helper()
	var tgErr *tollgate.Error
	if !errors.As(err, &tgErr) {
		t.Fatalf("want *tollgate.Error, got %T: %v", err, err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("want %v, got %v", kind, err)
	}
	return tgErr
}

// A unary chat returns the mock's reply with usage and the gateway's call info.
func TestChatReturnsReplyAndCallInfo(t *testing.T) {
	reply, err := connect(t, masterKey).Chat(context.Background(), "demo", tollgate.System("Be brief."), tollgate.User("Hello?"))
	if err != nil {
		t.Fatal(err)
	}
	if got := reply.GetChoices()[0].GetMessage().GetText(); got != demoReply {
		t.Fatalf("reply %q", got)
	}
	info := reply.GetCallInfo()
	if info.GetCallId() == "" || info.GetModelGroup() != "demo" || info.GetResponseCost() <= 0 {
		t.Fatalf("call info %v", info)
	}
	if reply.GetUsage().GetCompletionTokens() == 0 {
		t.Fatalf("usage %v", reply.GetUsage())
	}
}

// A streamed chat yields chunks that concatenate to the reply; the first carries call info.
func TestChatStreamConcatenatesToReply(t *testing.T) {
	req := tollgate.NewChatRequest("demo", []*tollgatev1.ChatMessage{tollgate.User("Hello?")}, tollgate.IncludeUsage(), tollgate.MaxTokens(50))
	var chunks []*tollgatev1.ChatChunk
	var text strings.Builder
	for chunk, err := range connect(t, masterKey).ChatStream(context.Background(), req) {
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, chunk)
		for _, choice := range chunk.GetChoices() {
			text.WriteString(choice.GetDelta().GetContent())
		}
	}
	if text.String() != demoReply || len(chunks) < 2 {
		t.Fatalf("%d chunks, text %q", len(chunks), text.String())
	}
	if chunks[0].GetCallInfo().GetCallId() == "" || chunks[len(chunks)-1].GetUsage().GetTotalTokens() == 0 {
		t.Fatalf("first %v last %v", chunks[0], chunks[len(chunks)-1])
	}
}

// Breaking out of a stream cancels it, and the client stays usable.
func TestChatStreamBreakCancels(t *testing.T) {
	client := connect(t, masterKey)
	req := tollgate.NewChatRequest("demo", []*tollgatev1.ChatMessage{tollgate.User("Hello?")})
	for chunk, err := range client.ChatStream(context.Background(), req) {
		if err != nil || chunk.GetCallInfo().GetCallId() == "" {
			t.Fatalf("first chunk %v, %v", chunk, err)
		}
		break
	}
	if _, err := client.Chat(context.Background(), "demo", tollgate.User("again")); err != nil {
		t.Fatal(err)
	}
}

// Embeddings return one vector per input, in order.
func TestEmbedReturnsOneVectorPerInput(t *testing.T) {
	resp, err := connect(t, masterKey).Embed(context.Background(), "demo", "one", "two")
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetData()) != 2 || resp.GetData()[1].GetIndex() != 1 || len(resp.GetData()[0].GetValues()) == 0 {
		t.Fatalf("embeddings %v", resp.GetData())
	}
}

// The model list shows the configured models.
func TestModelsList(t *testing.T) {
	resp, err := connect(t, masterKey).Models.ListModels(context.Background(), &tollgatev1.ListModelsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range resp.GetData() {
		ids = append(ids, m.GetId())
	}
	for _, want := range []string{"demo", "limited", "slow"} {
		if !slices.Contains(ids, want) {
			t.Fatalf("models %v lack %s", ids, want)
		}
	}
}

// The key travels as `authorization` metadata: an unknown key is ErrAuthentication, with the
// gateway's type and call id, and status.Code still works on the error.
func TestUnknownKeyIsAuthenticationError(t *testing.T) {
	_, err := connect(t, "sk-not-a-real-key-0000000000000").Chat(context.Background(), "demo", tollgate.User("hi"))
	tgErr := asError(t, err, tollgate.ErrAuthentication)
	if tgErr.Type != "authentication_error" || tgErr.CallID == "" || status.Code(err) != codes.Unauthenticated {
		t.Fatalf("error %+v", tgErr)
	}
}

// A key limited to other models gets ErrPermissionDenied naming the model.
func TestForbiddenModelIsPermissionDenied(t *testing.T) {
	key := newKey(t, connect(t, masterKey), &tollgatev1.GenerateKeyRequest{Models: []string{"demo"}})
	_, err := connect(t, key).Chat(context.Background(), "slow", tollgate.User("hi"))
	if tgErr := asError(t, err, tollgate.ErrPermissionDenied); !strings.Contains(tgErr.Message, "slow") {
		t.Fatalf("message %q", tgErr.Message)
	}
}

// A key whose budget is spent gets ErrBudgetExceeded before the provider is called.
func TestSpentBudgetIsBudgetExceeded(t *testing.T) {
	key := newKey(t, connect(t, masterKey), &tollgatev1.GenerateKeyRequest{MaxBudget: proto.Float64(0.01), Spend: proto.Float64(0.01)})
	_, err := connect(t, key).Chat(context.Background(), "demo", tollgate.User("hi"))
	if tgErr := asError(t, err, tollgate.ErrBudgetExceeded); tgErr.Type != "budget_exceeded" {
		t.Fatalf("error %+v", tgErr)
	}
}

// A provider 429 arrives as ErrRateLimited.
func TestUpstream429IsRateLimited(t *testing.T) {
	_, err := connect(t, masterKey).Chat(context.Background(), "limited", tollgate.User("hi"))
	if tgErr := asError(t, err, tollgate.ErrRateLimited); tgErr.Code != codes.ResourceExhausted {
		t.Fatalf("error %+v", tgErr)
	}
}

// Info on a key that does not exist is ErrNotFound.
func TestUnknownKeyInfoIsNotFound(t *testing.T) {
	_, err := connect(t, masterKey).Keys.GetKeyInfo(context.Background(), &tollgatev1.GetKeyInfoRequest{Key: proto.String("sk-does-not-exist-00000000000000")})
	asError(t, err, tollgate.ErrNotFound)
}

// A context deadline cuts a call to a provider that never answers, quickly; the error is both
// ErrDeadlineExceeded and context.DeadlineExceeded.
func TestContextDeadlineCutsUnaryCall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := connect(t, masterKey).Chat(ctx, "slow", tollgate.User("hi"))
	asError(t, err, tollgate.ErrDeadlineExceeded)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(started) > 5*time.Second {
		t.Fatalf("error %v after %v", err, time.Since(started))
	}
}

// The client's default deadline applies to streams as well.
func TestDefaultDeadlineAppliesToStreams(t *testing.T) {
	client := connect(t, masterKey, tollgate.WithTimeout(500*time.Millisecond))
	req := tollgate.NewChatRequest("slow", []*tollgatev1.ChatMessage{tollgate.User("hi")})
	var last error
	for _, err := range client.ChatStream(context.Background(), req) {
		last = err
	}
	asError(t, last, tollgate.ErrDeadlineExceeded)
}

// A gateway that cannot be reached is ErrUnavailable.
func TestUnreachableGatewayIsUnavailable(t *testing.T) {
	client, err := tollgate.New("127.0.0.1:1", "sk-anything", tollgate.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	_, err = client.Models.ListModels(context.Background(), &tollgatev1.ListModelsRequest{})
	asError(t, err, tollgate.ErrUnavailable)
}

// generate → use → info → update → list → block/unblock → regenerate → delete, all over gRPC.
func TestKeyLifecycle(t *testing.T) {
	ctx := context.Background()
	admin := connect(t, masterKey)
	meta, _ := structpb.NewStruct(map[string]any{"owner": "sdk-tests"})
	created, err := admin.Keys.GenerateKey(ctx, &tollgatev1.GenerateKeyRequest{
		KeyAlias: proto.String("sdk-go-lifecycle"), Models: []string{"demo"}, MaxBudget: proto.Float64(5), Metadata: meta})
	if err != nil {
		t.Fatal(err)
	}
	secret := created.GetKey().GetKey()
	if _, err := connect(t, secret).Chat(ctx, "demo", tollgate.User("hi")); err != nil {
		t.Fatal(err)
	}
	info, err := admin.Keys.GetKeyInfo(ctx, &tollgatev1.GetKeyInfoRequest{Key: &secret})
	if err != nil || info.GetInfo().GetKeyAlias() != "sdk-go-lifecycle" || info.GetInfo().GetMetadata().AsMap()["owner"] != "sdk-tests" {
		t.Fatalf("info %v, %v", info, err)
	}
	updated, err := admin.Keys.UpdateKey(ctx, &tollgatev1.UpdateKeyRequest{Key: secret, MaxBudget: proto.Float64(7.5)})
	if err != nil || updated.GetKey().GetMaxBudget() != 7.5 {
		t.Fatalf("update %v, %v", updated, err)
	}
	page, err := admin.Keys.ListKeys(ctx, &tollgatev1.ListKeysRequest{KeyAlias: proto.String("sdk-go-lifecycle")})
	if err != nil || len(page.GetKeys()) != 1 || page.GetKeys()[0].GetToken() != created.GetKey().GetToken() {
		t.Fatalf("list %v, %v", page, err)
	}
	if _, err := admin.Keys.BlockKey(ctx, &tollgatev1.BlockKeyRequest{Key: secret}); err != nil {
		t.Fatal(err)
	}
	_, err = connect(t, secret).Chat(ctx, "demo", tollgate.User("hi"))
	asError(t, err, tollgate.ErrAuthentication)
	if _, err := admin.Keys.UnblockKey(ctx, &tollgatev1.UnblockKeyRequest{Key: secret}); err != nil {
		t.Fatal(err)
	}
	renewed, err := admin.Keys.RegenerateKey(ctx, &tollgatev1.RegenerateKeyRequest{Key: secret})
	if err != nil || renewed.GetKey().GetKey() == secret {
		t.Fatalf("regenerate %v, %v", renewed, err)
	}
	deleted, err := admin.Keys.DeleteKeys(ctx, &tollgatev1.DeleteKeysRequest{Keys: []string{renewed.GetKey().GetKey()}})
	if err != nil || len(deleted.GetDeletedKeys()) != 1 {
		t.Fatalf("delete %v, %v", deleted, err)
	}
	_, err = admin.Keys.GetKeyInfo(ctx, &tollgatev1.GetKeyInfoRequest{Key: proto.String(renewed.GetKey().GetKey())})
	asError(t, err, tollgate.ErrNotFound)
}

// A team is created, gets a member and a key, and is deleted with its keys.
func TestTeamWithMemberAndKey(t *testing.T) {
	ctx := context.Background()
	admin := connect(t, masterKey)
	if _, err := admin.Teams.NewTeam(ctx, &tollgatev1.NewTeamRequest{TeamId: proto.String("sdk-go-team"), Models: []string{"demo"}}); err != nil {
		t.Fatal(err)
	}
	member := &tollgatev1.TeamMember{UserId: proto.String("sdk-go-user"), Role: tollgatev1.TeamRole_TEAM_ROLE_ADMIN}
	if _, err := admin.Teams.AddTeamMembers(ctx, &tollgatev1.AddTeamMembersRequest{TeamId: "sdk-go-team", Member: []*tollgatev1.TeamMember{member}}); err != nil {
		t.Fatal(err)
	}
	newKey(t, admin, &tollgatev1.GenerateKeyRequest{TeamId: proto.String("sdk-go-team")})
	info, err := admin.Teams.GetTeamInfo(ctx, &tollgatev1.GetTeamInfoRequest{TeamId: "sdk-go-team"})
	if err != nil || len(info.GetTeamMemberships()) != 1 || info.GetTeamMemberships()[0].GetUserId() != "sdk-go-user" {
		t.Fatalf("team info %v, %v", info, err)
	}
	deleted, err := admin.Teams.DeleteTeams(ctx, &tollgatev1.DeleteTeamsRequest{TeamIds: []string{"sdk-go-team"}})
	if err != nil || deleted.GetDeletedKeys() != 1 {
		t.Fatalf("delete %v, %v", deleted, err)
	}
}

// A key's calls show up in its spend logs (written in batches) with tokens and cost.
func TestSpendLogsOfAKey(t *testing.T) {
	ctx := context.Background()
	admin := connect(t, masterKey)
	key := newKey(t, admin, &tollgatev1.GenerateKeyRequest{Models: []string{"demo"}})
	reply, err := connect(t, key).Chat(ctx, "demo", tollgate.User("hi"))
	if err != nil {
		t.Fatal(err)
	}
	var logs []*tollgatev1.SpendLog
	for deadline := time.Now().Add(20 * time.Second); len(logs) == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := admin.Spend.GetSpendLogs(ctx, &tollgatev1.GetSpendLogsRequest{ApiKey: &key})
		if err != nil {
			t.Fatal(err)
		}
		logs = resp.GetLogs()
	}
	if len(logs) != 1 || logs[0].GetRequestId() != reply.GetCallInfo().GetCallId() || logs[0].GetTotalTokens() == 0 {
		t.Fatalf("logs %v", logs)
	}
	if diff := logs[0].GetSpend() - reply.GetCallInfo().GetResponseCost(); diff > 1e-9 || diff < -1e-9 {
		t.Fatalf("spend %v, cost %v", logs[0].GetSpend(), reply.GetCallInfo().GetResponseCost())
	}
}
