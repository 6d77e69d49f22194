// Parsers for one tool call written in model text, in every format the local
// models use (issue #4, PROTOCOL.md A4):
// - Qwen3-Coder XML: <tool_call><function=NAME><parameter=KEY>VALUE</parameter></function></tool_call>
//   (also without the outer <tool_call>, as Qwen3-Coder sometimes writes it);
// - Hermes / Qwen2.5 JSON: <tool_call>{"name": …, "arguments": {…}}</tool_call>;
// - a bare JSON object {"name": …, "arguments": …}, optionally in a ```json fence.
// Each parser looks at text from `start` and answers: a complete call, "could
// still become one with more text" (incomplete), or "can never be one" (invalid).
// With `final` (the stream has ended) nothing is incomplete.

export type CallParse =
  | { kind: 'call'; end: number; name: string; input: unknown }
  /** `closerNeeded`: only a closing character (`>`, `}`, `]`) can change the answer. */
  | { kind: 'incomplete'; closerNeeded: boolean }
  | { kind: 'invalid' };

export const TOOL_CALL_OPEN = '<tool_call>';
export const TOOL_CALL_CLOSE = '</tool_call>';
export const FUNCTION_OPEN = '<function=';
const FUNCTION_CLOSE = '</function>';
const PARAMETER_OPEN = '<parameter=';
const PARAMETER_CLOSE = '</parameter>';
const FENCE = '```';

const INCOMPLETE: CallParse = { kind: 'incomplete', closerNeeded: false };
const AWAITING_CLOSER: CallParse = { kind: 'incomplete', closerNeeded: true };
const INVALID: CallParse = { kind: 'invalid' };

function skipWhitespace(text: string, index: number): number {
  let position = index;
  while (position < text.length && /\s/.test(text[position] ?? '')) position += 1;
  return position;
}

/** `rest` could still grow into `token` (an empty rest could too). */
function couldBecome(rest: string, token: string): boolean {
  return rest.length < token.length && token.startsWith(rest);
}

function waitOrFail(final: boolean, closerNeeded = false): CallParse {
  if (final) return INVALID;
  return closerNeeded ? AWAITING_CLOSER : INCOMPLETE;
}

/** The index just past the JSON value that opens at `start`, string-aware; -1 while it is still open. */
export function findJsonObjectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/** {"name", "arguments" | "parameters" | "input"}, or OpenAI's {"function": {…}} wrapper. */
function readJsonCall(json: string): { name: string; input: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const call = typeof record.function === 'object' && record.function !== null ? (record.function as Record<string, unknown>) : record;
  if (typeof call.name !== 'string' || call.name.length === 0) return undefined;
  return { name: call.name, input: call.arguments ?? call.parameters ?? call.input ?? {} };
}

/** After a call's body: consume `close` if it follows; missing, the call still counts (models drop closing tags). */
function closeCall(text: string, position: number, close: string, final: boolean, call: { name: string; input: unknown }): CallParse {
  const next = skipWhitespace(text, position);
  const { name, input } = call;
  if (text.startsWith(close, next)) return { kind: 'call', end: next + close.length, name, input };
  if (!final && couldBecome(text.slice(next), close)) return INCOMPLETE;
  return { kind: 'call', end: position, name, input };
}

/** `<name=KEY>`: the KEY and the index after `>`. */
function readTagArgument(text: string, start: number, final: boolean): { key: string; after: number } | CallParse {
  const close = text.indexOf('>', start);
  const key = close < 0 ? text.slice(start) : text.slice(start, close);
  if (/[\s<]/.test(key) || (close >= 0 && key.length === 0)) return INVALID;
  if (close < 0) return waitOrFail(final, true);
  return { key, after: close + 1 };
}

/** Where a parameter value ends: the first </parameter> followed by another parameter or the end of the function. */
function findParameterEnd(text: string, from: number, final: boolean): { valueEnd: number; after: number } | CallParse {
  const followers = [PARAMETER_OPEN, FUNCTION_CLOSE, TOOL_CALL_CLOSE];
  let searchFrom = from;
  for (;;) {
    const close = text.indexOf(PARAMETER_CLOSE, searchFrom);
    if (close < 0) return waitOrFail(final, true);
    const after = close + PARAMETER_CLOSE.length;
    const rest = text.slice(skipWhitespace(text, after));
    if (followers.some((token) => rest.startsWith(token))) return { valueEnd: close, after };
    if (followers.some((token) => couldBecome(rest, token))) return final ? { valueEnd: close, after } : INCOMPLETE;
    searchFrom = close + 1; // a "</parameter>" inside the value itself
  }
}

/** Exactly one newline after <parameter=…> and one before </parameter> belong to the format (as Qwen's own parser). */
function trimFormatNewlines(value: string): string {
  const withoutFirst = value.startsWith('\n') ? value.slice(1) : value;
  return withoutFirst.endsWith('\n') ? withoutFirst.slice(0, -1) : withoutFirst;
}

function parseFunctionXml(text: string, start: number, final: boolean): CallParse {
  const header = readTagArgument(text, start + FUNCTION_OPEN.length, final);
  if ('kind' in header) return header;
  const input: Record<string, string> = {};
  let position = header.after;
  for (;;) {
    position = skipWhitespace(text, position);
    if (text.startsWith(FUNCTION_CLOSE, position)) return { kind: 'call', end: position + FUNCTION_CLOSE.length, name: header.key, input };
    if (text.startsWith(PARAMETER_OPEN, position)) {
      const parameter = readTagArgument(text, position + PARAMETER_OPEN.length, final);
      if ('kind' in parameter) return parameter;
      const end = findParameterEnd(text, parameter.after, final);
      if ('kind' in end) return end;
      input[parameter.key] = trimFormatNewlines(text.slice(parameter.after, end.valueEnd));
      position = end.after;
      continue;
    }
    const rest = text.slice(position);
    if (!final && (couldBecome(rest, FUNCTION_CLOSE) || couldBecome(rest, PARAMETER_OPEN))) return INCOMPLETE;
    // The model stopped writing the function but closed the call: accept what it gave.
    if (text.startsWith(TOOL_CALL_CLOSE, position) || (final && rest.trim() === '')) return { kind: 'call', end: position, name: header.key, input };
    return INVALID;
  }
}

function parseJsonAt(text: string, start: number, final: boolean): CallParse {
  const end = findJsonObjectEnd(text, start);
  if (end < 0) return waitOrFail(final, true);
  const call = readJsonCall(text.slice(start, end));
  return call ? { kind: 'call', end, ...call } : INVALID;
}

/** A call that starts with `<tool_call>` or `<function=` at `start`. */
export function parseTaggedCall(text: string, start: number, final: boolean): CallParse {
  if (text.startsWith(FUNCTION_OPEN, start)) {
    const call = parseFunctionXml(text, start, final);
    return call.kind === 'call' ? closeCall(text, call.end, TOOL_CALL_CLOSE, final, call) : call;
  }
  if (!text.startsWith(TOOL_CALL_OPEN, start)) return INVALID;
  const body = skipWhitespace(text, start + TOOL_CALL_OPEN.length);
  const rest = text.slice(body);
  let call: CallParse;
  if (rest.startsWith('{')) call = parseJsonAt(text, body, final);
  else if (rest.startsWith(FUNCTION_OPEN)) call = parseFunctionXml(text, body, final);
  else return !final && couldBecome(rest, FUNCTION_OPEN) ? INCOMPLETE : INVALID;
  return call.kind === 'call' ? closeCall(text, call.end, TOOL_CALL_CLOSE, final, call) : call;
}

/** A call written as a bare JSON object at `start`, or inside a ``` fence that opens there. */
export function parseBareCall(text: string, start: number, final: boolean): CallParse {
  if (text[start] === '{') return parseJsonAt(text, start, final);
  const rest = text.slice(start);
  const fence = /^```[A-Za-z]*[ \t]*\r?\n/.exec(rest);
  if (!fence) return !final && /^`{1,3}[A-Za-z]*[ \t]*\r?$/.test(rest) ? INCOMPLETE : INVALID;
  const body = skipWhitespace(text, start + fence[0].length);
  if (body >= text.length) return waitOrFail(final);
  if (text[body] !== '{') return INVALID;
  const call = parseJsonAt(text, body, final);
  if (call.kind !== 'call') return call;
  const next = skipWhitespace(text, call.end);
  if (text.startsWith(FENCE, next)) return { ...call, end: next + FENCE.length };
  if (!final && couldBecome(text.slice(next), FENCE)) return INCOMPLETE;
  return INVALID;
}
