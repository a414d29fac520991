// Turning a chat request into plain text, for models without a chat template (stories260K has none)
// and for token estimates of upstream requests.
//
// Template (one line per message, then the generation cue):
//
//   System: <system or developer message>
//   User: <user message>
//   Assistant: <assistant message>
//   Tool: <tool message>
//   Assistant:
//
// i.e. `${Label}: ${text}\n` for every message in order, followed by `Assistant:` with no trailing
// space (SentencePiece models put the space in front of the next word's token). Text parts of a
// message are concatenated. Generation also stops at CHAT_STOP, so a base model that keeps the
// dialogue going does not write the user's next turn; that stop is implicit and does not count
// against the request's four stop sequences.
import type { ChatMessage, InferenceRequest } from "./types.ts";

const LABELS: Record<ChatMessage["role"], string> = {
  system: "System",
  developer: "System",
  user: "User",
  assistant: "Assistant",
  tool: "Tool",
};

export const CHAT_CUE = "Assistant:";
export const CHAT_STOP = "\nUser:";

export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("");
}

export function renderChatPrompt(messages: readonly ChatMessage[]): string {
  let prompt = "";
  for (const message of messages) prompt += `${LABELS[message.role]}: ${messageText(message)}\n`;
  return prompt + CHAT_CUE;
}

/** The text a local model is fed for a request. */
export function renderPrompt(req: InferenceRequest): string {
  return req.kind === "chat" ? renderChatPrompt(req.messages) : req.prompt;
}
