import { z } from 'zod';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';

// What a Messages request must have for the translator to work on it
// (PROTOCOL.md B2). Loose objects everywhere: Claude Code adds fields from
// release to release, and an unknown field must pass, not fail. Unknown block
// types pass too; the converter decides what to do with them.

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const block = z.looseObject({ type: z.string().min(1) });

const content = z.union([z.string(), z.array(block)]);

const message = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content,
});

const tool = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  // Server tools (web_search_…) carry a `type` and no input_schema.
  input_schema: z.looseObject({}).optional(),
});

const thinking = z.looseObject({ type: z.string() });

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(message),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(tool).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  thinking: thinking.optional(),
});

export const countTokensRequestSchema = messagesRequestSchema.omit({ max_tokens: true }).extend({
  model: z.string().optional(),
});

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** "messages.2.content: Invalid input; max_tokens: expected number" — the path and what was expected. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

export function parseMessagesRequest(body: unknown): ParseResult<AnthropicMessagesRequest> {
  const parsed = messagesRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: `invalid request: ${describeZodError(parsed.error)}` };
  // The schema has no defaults or transforms, so the checked body itself is
  // used: zod's copy of a 50 KB request is garbage on the time-to-first-token path.
  return { ok: true, value: body as AnthropicMessagesRequest };
}

export type CountTokensRequest = Pick<AnthropicMessagesRequest, 'messages' | 'system' | 'tools'>;

export function parseCountTokensRequest(body: unknown): ParseResult<CountTokensRequest> {
  const parsed = countTokensRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: `invalid request: ${describeZodError(parsed.error)}` };
  return { ok: true, value: body as CountTokensRequest };
}
