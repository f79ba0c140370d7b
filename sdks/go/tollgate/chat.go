package tollgate

import (
	"context"
	"errors"
	"io"
	"iter"

	tollgatev1 "github.com/tollgate/tollgate/sdks/go/gen/tollgate/v1"
)

// System is a system message.
func System(text string) *tollgatev1.ChatMessage {
	return textMessage(tollgatev1.Role_ROLE_SYSTEM, text)
}

// User is a user message.
func User(text string) *tollgatev1.ChatMessage { return textMessage(tollgatev1.Role_ROLE_USER, text) }

// Assistant is an assistant message (e.g. an earlier reply).
func Assistant(text string) *tollgatev1.ChatMessage {
	return textMessage(tollgatev1.Role_ROLE_ASSISTANT, text)
}

func textMessage(role tollgatev1.Role, text string) *tollgatev1.ChatMessage {
	return &tollgatev1.ChatMessage{Role: role, Content: &tollgatev1.ChatMessage_Text{Text: text}}
}

// ChatOption sets fields of a ChatRequest (temperature, tools, ...).
type ChatOption func(*tollgatev1.ChatRequest)

// MaxTokens caps the output.
func MaxTokens(n uint32) ChatOption { return func(r *tollgatev1.ChatRequest) { r.MaxTokens = &n } }

// Temperature sets the sampling temperature.
func Temperature(t float64) ChatOption { return func(r *tollgatev1.ChatRequest) { r.Temperature = &t } }

// IncludeUsage asks a stream for a last chunk with the usage of the whole call.
func IncludeUsage() ChatOption {
	return func(r *tollgatev1.ChatRequest) {
		yes := true
		r.StreamOptions = &tollgatev1.StreamOptions{IncludeUsage: &yes}
	}
}

// NewChatRequest builds a request for model from messages and options.
func NewChatRequest(model string, messages []*tollgatev1.ChatMessage, opts ...ChatOption) *tollgatev1.ChatRequest {
	req := &tollgatev1.ChatRequest{Model: model, Messages: messages}
	for _, opt := range opts {
		opt(req)
	}
	return req
}

// Chat is one chat completion with the given messages (use Completions.Chat for a full request).
func (c *Client) Chat(ctx context.Context, model string, messages ...*tollgatev1.ChatMessage) (*tollgatev1.ChatResponse, error) {
	return c.Completions.Chat(ctx, NewChatRequest(model, messages))
}

// ChatStream streams a chat completion as its chunks; the first carries CallInfo. Breaking out
// of the loop cancels the call. A failure is yielded once, as the last element.
//
//	for chunk, err := range client.ChatStream(ctx, tollgate.NewChatRequest("gpt-4o-mini", msgs)) { ... }
func (c *Client) ChatStream(ctx context.Context, req *tollgatev1.ChatRequest) iter.Seq2[*tollgatev1.ChatChunk, error] {
	return func(yield func(*tollgatev1.ChatChunk, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := c.Completions.ChatStream(ctx, &tollgatev1.ChatStreamRequest{Request: req})
		if err != nil {
			yield(nil, err)
			return
		}
		for {
			msg, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(msg.GetChunk(), nil) {
				return
			}
		}
	}
}

// Embed embeds texts with model: one vector per input, in order.
func (c *Client) Embed(ctx context.Context, model string, inputs ...string) (*tollgatev1.EmbedResponse, error) {
	return c.Completions.Embed(ctx, &tollgatev1.EmbedRequest{Model: model, Input: inputs})
}
