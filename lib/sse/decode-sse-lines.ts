// Stage 1 and 2 of SSE decoding (WHATWG HTML §9.2.5, as the Anthropic SDK's
// core/streaming.ts does it): bytes → text → lines. A chunk may end inside a
// multi-byte UTF-8 character or between the "\r" and "\n" of a line break, so
// both the text decoder and the line splitter keep state between chunks.

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

/** A web ReadableStream as an async iterable; a Node Readable or any iterable is one already. */
export function toAsyncIterable(source: ByteSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (Symbol.asyncIterator in source || Symbol.iterator in source) return source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  const stream = source as ReadableStream<Uint8Array>;
  return {
    async *[Symbol.asyncIterator]() {
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
}

/**
 * Splits text into lines on "\r\n", "\n" or "\r". A "\r" at the very end of a
 * chunk is held back until the next chunk shows whether a "\n" follows, so a
 * "\r\n" split across chunks is one line break, not two.
 */
export function createLineSplitter(): { push(text: string): string[]; flush(): string[] } {
  let pending = '';
  let sawLeadingText = false;
  return {
    push(text: string): string[] {
      let input = pending + text;
      if (!sawLeadingText && input.length > 0) {
        sawLeadingText = true;
        if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
      }
      const lines: string[] = [];
      let start = 0;
      for (let index = 0; index < input.length; index++) {
        const code = input.charCodeAt(index);
        if (code === 0x0a) {
          lines.push(input.slice(start, index));
          start = index + 1;
        } else if (code === 0x0d) {
          if (index === input.length - 1) break; // wait: "\n" may follow in the next chunk
          lines.push(input.slice(start, index));
          if (input.charCodeAt(index + 1) === 0x0a) index++;
          start = index + 1;
        }
      }
      pending = input.slice(start);
      return lines;
    },
    flush(): string[] {
      const rest = pending;
      pending = '';
      if (rest.length === 0) return [];
      // A lone "\r" at the very end is a line break; anything else is an unterminated last line.
      return [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
    },
  };
}

/**
 * Bytes in, lines out, as the bytes arrive: UTF-8 is decoded across chunk
 * boundaries (TextDecoder in stream mode), then split by createLineSplitter.
 */
export function createLineDecoder(): { push(bytes: Uint8Array): string[]; end(): string[] } {
  const decoder = new TextDecoder('utf-8');
  const splitter = createLineSplitter();
  return {
    push(bytes: Uint8Array): string[] {
      const text = decoder.decode(bytes, { stream: true });
      return text.length > 0 ? splitter.push(text) : [];
    },
    end(): string[] {
      const rest = decoder.decode();
      return [...(rest.length > 0 ? splitter.push(rest) : []), ...splitter.flush()];
    },
  };
}
