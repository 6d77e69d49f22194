import { createEventBuilder, createLineSplitter } from '../../../lib/sse/index.js';

// Reads the token counts out of an Anthropic answer as it passes through,
// without changing or holding it: message_start's usage and message_delta's
// cumulative overwrites in a stream (PROTOCOL.md B4), `usage` in a JSON body
// (B3). Input tokens count the cached ones too (B3: total input).

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  /** The input tokens outside the prompt cache: what the model had to prefill. */
  uncachedInputTokens: number | null;
}

/** A JSON answer larger than this is not kept for its usage numbers. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

interface UsageFields {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface UsageTap {
  push(chunk: Buffer): void;
  finish(): TokenUsage;
}

export function createUsageTap(contentType: string | undefined): UsageTap {
  const usage: TokenUsage = { inputTokens: null, outputTokens: null, uncachedInputTokens: null };
  const apply = (fields: UsageFields | undefined) => {
    if (!fields) return;
    if (typeof fields.input_tokens === 'number') {
      usage.uncachedInputTokens = fields.input_tokens + (fields.cache_creation_input_tokens ?? 0);
      usage.inputTokens = fields.input_tokens + (fields.cache_creation_input_tokens ?? 0) + (fields.cache_read_input_tokens ?? 0);
    }
    if (typeof fields.output_tokens === 'number') usage.outputTokens = fields.output_tokens;
  };

  if (contentType?.includes('text/event-stream')) {
    // Push-style stages of the shared decoder: the tap sees chunks as they pass, it does not pull.
    const decoder = new TextDecoder();
    const splitter = createLineSplitter();
    const events = createEventBuilder();
    const readEvent = (data: string) => {
      if (!data.includes('"usage"')) return;
      try {
        const event = JSON.parse(data) as { type?: string; message?: { usage?: UsageFields }; usage?: UsageFields };
        apply(event.type === 'message_start' ? event.message?.usage : event.usage);
      } catch {
        // Not ours to judge: the client gets the bytes as they are.
      }
    };
    const readLines = (lines: string[]) => {
      for (const line of lines) {
        const event = events.push(line);
        if (event) readEvent(event.data);
      }
    };
    return {
      push(chunk) {
        readLines(splitter.push(decoder.decode(chunk, { stream: true })));
      },
      finish() {
        readLines([...splitter.push(decoder.decode()), ...splitter.flush()]);
        const last = events.flush();
        if (last) readEvent(last.data);
        return usage;
      },
    };
  }

  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (size <= MAX_JSON_BYTES) chunks.push(chunk);
    },
    finish() {
      if (size > 0 && size <= MAX_JSON_BYTES) {
        try {
          apply((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { usage?: UsageFields }).usage);
        } catch {
          // An error body or something else without usage.
        }
      }
      return usage;
    },
  };
}
