/**
 * Chat messages: `user("Hi")`-style helpers, and OpenAI-style objects
 * (`{ role: "user", content: "Hi" }`) converted to `tollgate.v1.ChatMessage`.
 */
import { create, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";

import { type ChatMessage, ChatMessageSchema, Role } from "./gen/tollgate/v1/completions_pb.js";

/** A message as the generated type takes it. */
export type ChatMessageInit = MessageInitShape<typeof ChatMessageSchema>;

/** An OpenAI-style text message. */
export interface OpenAIMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | null;
  name?: string;
  tool_call_id?: string;
}

/** Anything `chat()` takes as a message. */
export type MessageLike = ChatMessage | ChatMessageInit | OpenAIMessage;

const roles: Record<OpenAIMessage["role"], Role> = {
  system: Role.SYSTEM,
  developer: Role.DEVELOPER,
  user: Role.USER,
  assistant: Role.ASSISTANT,
  tool: Role.TOOL,
};

function text(role: Role, content: string): ChatMessageInit {
  return { role, content: { case: "text", value: content } };
}

/** A system message. */
export const system = (content: string): ChatMessageInit => text(Role.SYSTEM, content);
/** A user message. */
export const user = (content: string): ChatMessageInit => text(Role.USER, content);
/** An assistant message (e.g. an earlier reply). */
export const assistant = (content: string): ChatMessageInit => text(Role.ASSISTANT, content);

/** A `ChatMessage` from any accepted shape. */
export function toChatMessage(message: MessageLike): ChatMessage {
  if (typeof message.role !== "string") {
    return create(ChatMessageSchema, message as ChatMessageInit);
  }
  const openai = message as OpenAIMessage;
  const role = roles[openai.role];
  if (role === undefined) {
    throw new TypeError(`unknown message role ${JSON.stringify(openai.role)}`);
  }
  const { role: _role, content, name, tool_call_id: toolCallId, ...rest } = openai;
  return create(ChatMessageSchema, {
    role,
    content: content === null ? { case: undefined } : { case: "text", value: content },
    name,
    toolCallId,
    extra: Object.keys(rest).length > 0 ? (rest as JsonObject) : undefined,
  });
}

/** The text of a reply message ("" when it has none). */
export function messageText(message: ChatMessage | undefined): string {
  return message?.content.case === "text" ? message.content.value : "";
}
