import type { AnthropicTool } from '../../../lib/wire/anthropic.js';
import type { ExtractorEvent, ToolCallExtractor } from '../local-prompt.js';
import { FUNCTION_OPEN, parseBareCall, parseTaggedCall, TOOL_CALL_OPEN, type CallParse } from './parse-tool-call-text.js';
import { createToolCallResolver } from './resolve-tool-call.js';

export interface ToolCallExtractorOptions {
  /** The tools offered to the model: calls are matched against them and coerced to their schemas. */
  tools: readonly AnthropicTool[];
}

const START_TAGS = [TOOL_CALL_OPEN, FUNCTION_OPEN];
// While a call waits inside a value (a JSON object, a parameter), a push
// without any closing character cannot change the answer, so the (linear)
// parse is skipped and a long Write streams in O(n) rather than O(n²).
const CLOSING_CHARACTERS = /[>}\]]/;

/** The length of the longest suffix of `text` that is a proper prefix of a start tag (a tag split across chunks). */
function measurePossibleTagSuffix(text: string): number {
  for (let length = Math.min(text.length, FUNCTION_OPEN.length + 1); length > 0; length -= 1) {
    const suffix = text.slice(text.length - length);
    if (START_TAGS.some((tag) => tag.length > suffix.length && tag.startsWith(suffix))) return length;
  }
  return 0;
}

function findStartTag(text: string): number {
  const found = START_TAGS.map((tag) => text.indexOf(tag)).filter((index) => index >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

/**
 * The streaming stage that turns model text into text and tool calls
 * (STYLE.md 5). Text before a call goes out at once; only a suffix that could
 * still be a start tag is held back, and, while nothing but whitespace has
 * been written since the start of the reply or the last call, a JSON object or
 * ``` fence that could be a bare call. Each call goes out as soon as it closes.
 */
export function createToolCallExtractor(options: ToolCallExtractorOptions): ToolCallExtractor {
  const resolve = createToolCallResolver(options.tools);
  let buffer = '';
  // Only whitespace since the start of the reply or the last call: a bare JSON call may start here.
  let atCallBoundary = true;
  let awaitingCloser = false;

  function convertCall(call: Extract<CallParse, { kind: 'call' }>, raw: string, bare: boolean): ExtractorEvent[] {
    const resolved = resolve(call.name, call.input);
    if (resolved.ok) return [{ type: 'tool_call', name: resolved.name, input: resolved.input }];
    // A bare JSON object naming no tool is most likely JSON the user asked for.
    if (bare && resolved.problem.startsWith('no tool named')) return [{ type: 'text', text: raw }];
    return [{ type: 'text', text: `${raw}\n\n(mallex: this ${resolved.name} call was not run: ${resolved.problem}.)\n`, annotated: true }];
  }

  function drain(final: boolean): ExtractorEvent[] {
    awaitingCloser = false;
    const events: ExtractorEvent[] = [];
    const emitText = (text: string): void => {
      if (text.length > 0) events.push({ type: 'text', text });
    };
    for (;;) {
      if (atCallBoundary) {
        const first = buffer.search(/\S/);
        if (first < 0) {
          if (final) {
            emitText(buffer);
            buffer = '';
          }
          return events;
        }
        if (buffer[first] === '{' || buffer[first] === '`') {
          const parsed = parseBareCall(buffer, first, final);
          if (parsed.kind === 'incomplete') {
            awaitingCloser = parsed.closerNeeded;
            return events;
          }
          if (parsed.kind === 'call') {
            events.push(...convertCall(parsed, buffer.slice(first, parsed.end), true));
            buffer = buffer.slice(parsed.end);
            continue;
          }
        }
        atCallBoundary = false;
      }
      const start = findStartTag(buffer);
      if (start < 0) {
        const held = final ? 0 : measurePossibleTagSuffix(buffer);
        emitText(buffer.slice(0, buffer.length - held));
        buffer = buffer.slice(buffer.length - held);
        return events;
      }
      emitText(buffer.slice(0, start));
      buffer = buffer.slice(start);
      const parsed = parseTaggedCall(buffer, 0, final);
      if (parsed.kind === 'incomplete') {
        awaitingCloser = parsed.closerNeeded;
        return events;
      }
      if (parsed.kind === 'invalid') {
        // Unreadable: the tag stays text, and the search goes on after it.
        const tag = START_TAGS.find((candidate) => buffer.startsWith(candidate)) ?? buffer.slice(0, 1);
        emitText(tag);
        buffer = buffer.slice(tag.length);
        continue;
      }
      events.push(...convertCall(parsed, buffer.slice(0, parsed.end), false));
      buffer = buffer.slice(parsed.end);
      atCallBoundary = true;
    }
  }

  return {
    push(text: string): ExtractorEvent[] {
      if (text.length === 0) return [];
      buffer += text;
      if (awaitingCloser && !CLOSING_CHARACTERS.test(text)) return [];
      return drain(false);
    },
    flush(): ExtractorEvent[] {
      const events = drain(true);
      buffer = '';
      return events;
    },
    resolveServerCall(name: string, argumentsText: string): ExtractorEvent[] {
      const raw = `<tool_call>${JSON.stringify({ name, arguments: argumentsText })}</tool_call>`;
      return convertCall({ kind: 'call', end: raw.length, name, input: argumentsText }, raw, false);
    },
  };
}
