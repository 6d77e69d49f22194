import { createHash } from 'node:crypto';
import type { AnthropicMessage, AnthropicMessagesRequest, ContentBlock } from '../wire/anthropic.js';
import { readUserText } from './extract-user-prompt.js';

// Facts about a Claude Code request that only its shape tells (PROTOCOL.md C).
// Structure first, strings second: Claude Code's texts change between
// releases, its message structure much less.

/**
 * - background: a side call (title, summary, Warmup) that needs no intent classification;
 * - continuation: the same user turn goes on (tool results, notifications, "(no content)");
 * - prompt: the user said something new.
 */
export type RequestKind = 'background' | 'continuation' | 'prompt';

/** Texts of the background calls that versions before 2.1 send without tools (PROTOCOL.md C). */
const BACKGROUND_TEXT_PATTERNS = [
  /^\s*warmup\s*$/i,
  /\b\d+\s*-\s*\d+ word title\b/i,
  /^\s*Files modified by user/i,
  /^\s*Command: [\s\S]*\nOutput:/,
];

const HAIKU_MODEL_PATTERN = /haiku/i;

type HeaderValue = string | string[] | undefined;

function readHeader(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/**
 * The session id inside metadata.user_id: 2.1.3xx sends a JSON string with
 * `session_id`; 2.1.50 sends `user_<hash>_account_<uuid>_session_<uuid>`.
 */
export function readSessionIdFromUserId(userId: string | null | undefined): string | undefined {
  if (!userId) return undefined;
  if (userId.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(userId) as { session_id?: unknown };
      return typeof parsed.session_id === 'string' && parsed.session_id ? parsed.session_id : undefined;
    } catch {
      return undefined;
    }
  }
  return /_session_([0-9A-Za-z-]+)$/.exec(userId)?.[1];
}

/** The Claude Code session: the `x-claude-code-session-id` header, else the id inside metadata.user_id. */
export function readSessionId(headers: Record<string, HeaderValue>, body: Pick<AnthropicMessagesRequest, 'metadata'>): string | undefined {
  return readHeader(headers, 'x-claude-code-session-id') ?? readSessionIdFromUserId(body.metadata?.user_id);
}

function readAllText(content: string | ContentBlock[]): string {
  if (typeof content === 'string') return content;
  return content
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text ?? ''))
    .join('\n');
}

/**
 * Tells apart the conversations inside one session (the main loop and each
 * sub-agent, which 2.1.328 runs at the same time under the same session id):
 * a hash of the first user message's text. Claude Code keeps that message
 * byte-stable for prompt caching; cache_control markers move from request to
 * request, so only the text is hashed.
 */
export function readConversationKey(messages: readonly AnthropicMessage[]): string {
  const first = messages.find((message) => message.role === 'user');
  const text = first ? readAllText(first.content) : '';
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function hasToolResult(content: string | ContentBlock[]): boolean {
  return typeof content !== 'string' && content.some((block) => block.type === 'tool_result');
}

/**
 * A structured answer asked for without tools: 2.1.3xx's session title
 * (PROTOCOL.md D1) asks for `{"title": …}` through output_config.format with
 * a JSON schema, and in 2.1.328 with the main model's id, not Haiku's.
 */
function asksForStructuredAnswer(body: { output_config?: unknown }): boolean {
  const format = (body.output_config as { format?: { type?: unknown } } | undefined)?.format;
  return format?.type === 'json_schema';
}

export function isBackgroundRequest(body: Pick<AnthropicMessagesRequest, 'model' | 'tools' | 'messages'> & { output_config?: unknown }): boolean {
  if (HAIKU_MODEL_PATTERN.test(body.model ?? '')) return true;
  if ((body.tools ?? []).length > 0) return false;
  if (asksForStructuredAnswer(body)) return true;
  const lastUser = [...body.messages].reverse().find((message) => message.role === 'user');
  if (!lastUser) return false;
  const text = readAllText(lastUser.content);
  return BACKGROUND_TEXT_PATTERNS.some((pattern) => pattern.test(text));
}

/**
 * Whether the request goes on with the current user turn rather than start a
 * new one. Trailing role "system" messages are skipped: 2.1.328 puts its
 * environment message right after the first prompt and sends notifications
 * ("[SYSTEM NOTIFICATION - NOT USER …]") while sub-agents run (PROTOCOL.md C);
 * what counts is the newest user or assistant message before them.
 */
export function isTurnContinuation(messages: readonly AnthropicMessage[]): boolean {
  const conversation = messages.filter((message) => message.role !== 'system');
  const last = conversation.at(-1);
  if (!last) return false;
  // An assistant message last is a prefill of the same turn.
  if (last.role === 'assistant') return true;
  if (readUserText(last.content).length > 0) return false;
  // Only tool results (plus reminders), or "(no content)" after the assistant has spoken.
  return hasToolResult(last.content) || conversation.some((message) => message.role === 'assistant');
}

export function readRequestKind(body: Pick<AnthropicMessagesRequest, 'model' | 'tools' | 'messages'> & { output_config?: unknown }): RequestKind {
  if (isBackgroundRequest(body)) return 'background';
  return isTurnContinuation(body.messages) ? 'continuation' : 'prompt';
}

/** Whether the client sent credentials of its own for Anthropic. */
export function hasClientCredentials(headers: Record<string, HeaderValue>): boolean {
  return readHeader(headers, 'authorization') !== undefined || readHeader(headers, 'x-api-key') !== undefined;
}

/**
 * Identifies the user's current prompt inside its conversation: how many user
 * messages came before it and a hash of its text. A resend of the same request
 * (a retry after an error, Claude Code's resend without thinking blocks after
 * a refused signature, PROTOCOL.md D2) has the same key; the same words typed
 * again later ("try again" twice) do not. "" when no user message has text.
 */
export function readPromptKey(messages: readonly AnthropicMessage[]): string {
  const users = messages.filter((message) => message.role === 'user');
  for (let index = users.length - 1; index >= 0; index--) {
    const text = readUserText(users[index]!.content);
    if (text.length > 0) return `${index}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  }
  return '';
}

/** Server tools Anthropic runs itself (web search, web fetch, code execution): a local model cannot serve them. */
const SERVER_TOOL_TYPE_PATTERN = /^(web_search|web_fetch|code_execution)_/;

/** The server tools the request carries, by type (Claude Code's WebSearch sends `web_search_…`). */
export function findServerTools(body: Pick<AnthropicMessagesRequest, 'tools'>): string[] {
  return (body.tools ?? []).map((tool) => String(tool.type ?? '')).filter((type) => SERVER_TOOL_TYPE_PATTERN.test(type));
}
