import { createLineDecoder, toAsyncIterable, type ByteSource } from './decode-sse-lines.js';

// Stage 3 of SSE decoding: lines → events (WHATWG HTML §9.2.6).

export interface SseMessage {
  /** The `event:` field; absent for unnamed events (OpenAI-style streams). */
  event?: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  id?: string;
  /** Set only on comment messages (a line starting with ":"), which carry no data. */
  comment?: string;
}

export interface SseDecodeOptions {
  /**
   * Also yield comment lines (e.g. mlx-lm.server's `: keepalive N/M`,
   * PROTOCOL.md A5) as `{ comment, data: "" }`, the moment they arrive.
   */
  includeComments?: boolean;
}

/** A line-by-line event builder; `push` returns a message when a blank line dispatches one. */
export function createEventBuilder({ includeComments = false }: SseDecodeOptions = {}): {
  push(line: string): SseMessage | null;
  flush(): SseMessage | null;
} {
  let event: string | undefined;
  let id: string | undefined;
  let dataLines: string[] = [];
  const dispatch = (): SseMessage | null => {
    const message: SseMessage | null = dataLines.length === 0 ? null : { data: dataLines.join('\n') };
    if (message && event !== undefined) message.event = event;
    if (message && id !== undefined) message.id = id;
    // Unlike a browser's lastEventId, the id belongs to the one event it came with.
    event = undefined;
    id = undefined;
    dataLines = [];
    return message;
  };
  return {
    push(line: string): SseMessage | null {
      if (line === '') return dispatch();
      if (line.startsWith(':')) {
        if (!includeComments) return null;
        const comment = line.slice(1);
        return { comment: comment.startsWith(' ') ? comment.slice(1) : comment, data: '' };
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      switch (field) {
        case 'event':
          event = value;
          break;
        case 'data':
          dataLines.push(value);
          break;
        case 'id':
          if (!value.includes('\0')) id = value;
          break;
        default:
          // "retry" and unknown fields are ignored, as the spec says.
          break;
      }
      return null;
    },
    /**
     * The spec drops an event that was not followed by a blank line. Servers
     * that close right after `data: [DONE]` without one exist, so the last
     * event is dispatched anyway.
     */
    flush: dispatch,
  };
}

/**
 * The whole decoder, pushed: bytes in as they arrive, each message handed to
 * onMessage at once, in the same call. The translator reads the model's
 * stream with it straight from the socket's data events: no async iterator
 * and no promise per line between the model's token and Claude Code.
 */
export function createSseDecoder(onMessage: (message: SseMessage) => void, options: SseDecodeOptions = {}): { push(bytes: Uint8Array): void; end(): void } {
  const lines = createLineDecoder();
  const builder = createEventBuilder(options);
  const take = (decoded: string[]) => {
    for (const line of decoded) {
      const message = builder.push(line);
      if (message) onMessage(message);
    }
  };
  return {
    push: (bytes) => take(lines.push(bytes)),
    end() {
      take(lines.end());
      const last = builder.flush();
      if (last) onMessage(last);
    },
  };
}

/** Decodes an SSE byte stream (a fetch body, a Node Readable, any async iterable of bytes) into messages. */
export async function* decodeSseStream(source: ByteSource, options: SseDecodeOptions = {}): AsyncIterable<SseMessage> {
  const decoded: SseMessage[] = [];
  const decoder = createSseDecoder((message) => decoded.push(message), options);
  for await (const bytes of toAsyncIterable(source)) {
    decoder.push(bytes);
    yield* decoded.splice(0);
  }
  decoder.end();
  yield* decoded.splice(0);
}
