import type { AnthropicMessagesRequest } from './anthropic.js';

// The one check of a Messages (or count_tokens) request's shape, made by the
// gateway before it routes a request and by the translator before it
// converts one (PROTOCOL.md B2). The code after it walks messages, blocks and
// tools; a body that is JSON but not this shape would throw there and come
// back as a 500. The Anthropic API refuses the same bodies with a 400
// (PROTOCOL.md B5), so nothing a real client sends is lost. Unknown fields
// and block types pass: Claude Code adds them from release to release, and
// the converter decides what to do with them. Plain code rather than a schema
// library: the gateway does not load one, and this runs on every request.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Roles the translator can convert; Anthropic itself takes user and assistant, some clients also send system. */
const ROLES = new Set(['user', 'assistant', 'system']);

function findContentProblem(content: unknown, where: string): string | null {
  if (typeof content === 'string') return null;
  if (!Array.isArray(content)) return `${where}.content: expected a string or an array of content blocks`;
  for (const [index, block] of content.entries()) {
    if (!isObject(block) || typeof block.type !== 'string' || block.type === '') return `${where}.content.${index}: expected a content block with a "type"`;
  }
  return null;
}

function findMessagesProblem(messages: unknown): string | null {
  if (!Array.isArray(messages)) return 'messages: expected an array of messages';
  if (messages.length === 0) return 'messages: at least one message is required';
  for (const [index, message] of messages.entries()) {
    if (!isObject(message)) return `messages.${index}: expected a message object`;
    if (typeof message.role !== 'string') return `messages.${index}.role: expected a role`;
    if (!ROLES.has(message.role)) return `messages.${index}.role: expected "user", "assistant" or "system", found ${JSON.stringify(message.role.slice(0, 40))}`;
    const problem = findContentProblem(message.content, `messages.${index}`);
    if (problem) return problem;
  }
  return null;
}

function findSystemProblem(system: unknown): string | null {
  if (system === undefined || typeof system === 'string') return null;
  if (!Array.isArray(system)) return 'system: expected a string or an array of text blocks';
  for (const [index, block] of system.entries()) {
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') return `system.${index}: expected a text block`;
  }
  return null;
}

function findToolsProblem(tools: unknown): string | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return 'tools: expected an array of tools';
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool)) return `tools.${index}: expected a tool object`;
    if (typeof tool.name !== 'string' || tool.name === '') return `tools.${index}.name: expected a tool name`;
    if (tool.description !== undefined && typeof tool.description !== 'string') return `tools.${index}.description: expected a string`;
    // Server tools (web_search_…) carry a `type` and no input_schema.
    if (tool.input_schema !== undefined && !isObject(tool.input_schema)) return `tools.${index}.input_schema: expected a JSON schema object`;
  }
  return null;
}

/** The optional sampling and control fields, when present. */
function findOptionsProblem(body: Json): string | null {
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream: expected true or false';
  if (body.temperature !== undefined && !(isNumber(body.temperature) && body.temperature >= 0)) return 'temperature: expected a number ≥ 0';
  if (body.top_p !== undefined && !(isNumber(body.top_p) && body.top_p >= 0 && body.top_p <= 1)) return 'top_p: expected a number from 0 to 1';
  if (body.top_k !== undefined && !(Number.isInteger(body.top_k) && (body.top_k as number) >= 0)) return 'top_k: expected an integer ≥ 0';
  if (body.stop_sequences !== undefined && !(Array.isArray(body.stop_sequences) && body.stop_sequences.every((stop) => typeof stop === 'string'))) return 'stop_sequences: expected an array of strings';
  if (body.thinking !== undefined && !(isObject(body.thinking) && typeof body.thinking.type === 'string')) return 'thinking: expected an object with a "type"';
  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isObject(body.metadata)) return 'metadata: expected an object';
    const userId = body.metadata.user_id;
    if (userId !== undefined && userId !== null && typeof userId !== 'string') return 'metadata.user_id: expected a string';
  }
  return null;
}

/** At most this many problems are named in one answer. */
const MAX_PROBLEMS = 5;

function joinProblems(problems: Array<string | null>): string | null {
  const found = problems.filter((problem): problem is string => problem !== null);
  return found.length === 0 ? null : found.slice(0, MAX_PROBLEMS).join('; ');
}

/** The problems of a Messages request, each "path: what was expected" (one per part), or null for one mallex can work on. */
export function findMessagesRequestProblem(body: unknown): string | null {
  if (!isObject(body)) return 'body: expected a JSON object (an Anthropic Messages request)';
  return joinProblems([
    typeof body.model !== 'string' || body.model === '' ? 'model: expected a model name' : null,
    Number.isInteger(body.max_tokens) && (body.max_tokens as number) > 0 ? null : 'max_tokens: expected a positive integer',
    findMessagesProblem(body.messages),
    findSystemProblem(body.system),
    findToolsProblem(body.tools),
    findOptionsProblem(body),
  ]);
}

/** The same for count_tokens, which takes no max_tokens and names a model only optionally. */
export function findCountTokensRequestProblem(body: unknown): string | null {
  if (!isObject(body)) return 'body: expected a JSON object (an Anthropic count_tokens request)';
  return joinProblems([
    body.model !== undefined && typeof body.model !== 'string' ? 'model: expected a model name' : null,
    findMessagesProblem(body.messages),
    findSystemProblem(body.system),
    findToolsProblem(body.tools),
    findOptionsProblem(body),
  ]);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

export type CountTokensRequest = Pick<AnthropicMessagesRequest, 'messages' | 'system' | 'tools'>;

/** The checked body itself (no copy: a 50 KB request is read as it came), or the 400's message. */
export function parseMessagesRequest(body: unknown): ParseResult<AnthropicMessagesRequest> {
  const problem = findMessagesRequestProblem(body);
  return problem === null ? { ok: true, value: body as AnthropicMessagesRequest } : { ok: false, message: `invalid request: ${problem}` };
}

export function parseCountTokensRequest(body: unknown): ParseResult<CountTokensRequest> {
  const problem = findCountTokensRequestProblem(body);
  return problem === null ? { ok: true, value: body as CountTokensRequest } : { ok: false, message: `invalid request: ${problem}` };
}
