import type { AnthropicMessage, AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';

// Background prompts trimmed like foreground ones (issue #14, rule 5).
// Claude Code's session title (PROTOCOL.md D1) carries 3,300 characters of
// naming rules for a two-to-five-word answer: on a local model that is as
// much prefill as the user's own trimmed prompt. A request that asks, without
// tools, for a small JSON object of strings (output_config.format, a JSON
// schema) needs the task's first sentence, the shape of the answer and the
// user's words; the local model is not given output_config, so the answer's
// shape is spelled out in the prompt.

/** The user's words kept: the head (the session) and the tail (the last instruction). */
const MAX_USER_CHARS = 400;
const USER_TAIL_CHARS = 150;
const MAX_STRING_FIELDS = 3;

interface JsonSchema {
  type?: unknown;
  properties?: Record<string, { type?: unknown }>;
}

/** The string fields of a small JSON answer asked through output_config; null for anything else. */
export function readStructuredAnswerFields(request: Pick<AnthropicMessagesRequest, 'tools'> & { output_config?: unknown }): string[] | null {
  if ((request.tools ?? []).length > 0) return null;
  const format = (request.output_config as { format?: { type?: unknown; schema?: JsonSchema } } | undefined)?.format;
  if (format?.type !== 'json_schema' || format.schema?.type !== 'object' || !format.schema.properties) return null;
  const fields = Object.entries(format.schema.properties);
  if (fields.length === 0 || fields.length > MAX_STRING_FIELDS || fields.some(([, field]) => field?.type !== 'string')) return null;
  return fields.map(([name]) => name);
}

function readFirstSentence(task: string): string {
  const text = task.trim();
  const end = /[.!?](\s|$)/.exec(text);
  return (end ? text.slice(0, end.index + 1) : text.split('\n')[0]!).trim();
}

function shortenText(text: string): string {
  if (text.length <= MAX_USER_CHARS) return text;
  const head = MAX_USER_CHARS - USER_TAIL_CHARS;
  return `${text.slice(0, head).trimEnd()}\n…\n${text.slice(-USER_TAIL_CHARS).trimStart()}`;
}

function shortenMessage(message: AnthropicMessage): AnthropicMessage {
  if (typeof message.content === 'string') return { ...message, content: shortenText(message.content) };
  const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
  return { ...message, content: shortenText(text) };
}

/**
 * The short prompt for a structured background answer, or null when the
 * request is not one (it is then prepared as before). `task` is the request's
 * own system prompt without Claude Code's billing header and identity line.
 */
export function trimBackgroundPrompt(request: Pick<AnthropicMessagesRequest, 'tools'> & { output_config?: unknown }, task: string, messages: AnthropicMessage[]): { system: string; messages: AnthropicMessage[] } | null {
  const fields = readStructuredAnswerFields(request);
  if (!fields) return null;
  const shape = `{${fields.map((name) => `"${name}": "…"`).join(', ')}}`;
  const system = `${readFirstSentence(task)}\nReply with only this JSON, each value a few words: ${shape}`;
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  return { system, messages: messages.map((message, index) => (index === lastUser ? shortenMessage(message) : message)) };
}
