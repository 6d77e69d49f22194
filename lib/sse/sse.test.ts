import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLineDecoder, createLineSplitter } from './decode-sse-lines.js';
import { createSseDecoder, decodeSseStream, type SseMessage } from './decode-sse-events.js';
import { encodeSseComment, encodeSseEvent, encodeSseJson } from './encode-sse-event.js';

const encoder = new TextEncoder();

async function* yieldChunks(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Splits bytes at the given offsets. */
function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(bytes.slice(start, offset));
    start = offset;
  }
  return chunks;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Every line the line decoder gives for these chunks, the end included. */
function decodeLines(chunks: Uint8Array[]): string[] {
  const decoder = createLineDecoder();
  return [...chunks.flatMap((chunk) => decoder.push(chunk)), ...decoder.end()];
}

describe('createLineDecoder', () => {
  it('treats \\r\\n split across two chunks as one line break', () => {
    assert.deepEqual(decodeLines([encoder.encode('a\r'), encoder.encode('\nb\r\n')]), ['a', 'b']);
  });

  it('accepts \\n, \\r\\n and a lone \\r as line breaks', () => {
    assert.deepEqual(decodeLines([encoder.encode('a\nb\r\nc\rd')]), ['a', 'b', 'c', 'd']);
    assert.deepEqual(decodeLines([encoder.encode('a\r')]), ['a']);
  });

  it('keeps a multi-byte character whole when a chunk ends inside it, at every byte position', () => {
    const text = 'data: héllo 🦙 ünïcode — 日本\r\n\r\n';
    const bytes = encoder.encode(text);
    for (let offset = 1; offset < bytes.length; offset++) {
      assert.deepEqual(decodeLines(splitAt(bytes, [offset])), ['data: héllo 🦙 ünïcode — 日本', ''], `split at byte ${offset}`);
    }
  });

  it('ends a stream cut inside a multi-byte character with the replacement character', () => {
    assert.deepEqual(decodeLines([encoder.encode('data: 🦙').slice(0, -1)]), ['data: \ufffd']);
  });

  it('strips one leading byte-order mark', () => {
    const splitter = createLineSplitter();
    assert.deepEqual(splitter.push('\ufeffdata: x\n'), ['data: x']);
  });
});

describe('decodeSseStream', () => {
  const stream = [
    ': keepalive 2048/9000',
    '',
    'event: message_start',
    'data: {"type":"message_start"}',
    '',
    'data: line one',
    'data: line two',
    'id: 7',
    '',
    'data:no-space',
    '',
    'event: empty',
    '',
    'retry: 100',
    'data: [DONE]',
    '',
  ].join('\r\n');
  const expected: SseMessage[] = [
    { event: 'message_start', data: '{"type":"message_start"}' },
    { data: 'line one\nline two', id: '7' },
    { data: 'no-space' },
    { data: '[DONE]' },
  ];

  it('decodes events whole, at every split position of the byte stream', async () => {
    const bytes = encoder.encode(stream);
    for (let offset = 1; offset < bytes.length; offset++) {
      assert.deepEqual(await collect(decodeSseStream(yieldChunks(splitAt(bytes, [offset])))), expected, `split at byte ${offset}`);
    }
  });

  it('decodes a stream delivered one byte at a time', async () => {
    const bytes = encoder.encode(stream);
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    assert.deepEqual(await collect(decodeSseStream(yieldChunks(chunks))), expected);
  });

  it('yields comments only when asked, in order, as they arrive', async () => {
    const messages = await collect(decodeSseStream(yieldChunks([encoder.encode(stream)]), { includeComments: true }));
    assert.deepEqual(messages[0], { comment: 'keepalive 2048/9000', data: '' });
    assert.deepEqual(messages.slice(1), expected);
  });

  it('dispatches a last event that the server did not end with a blank line', async () => {
    assert.deepEqual(await collect(decodeSseStream(yieldChunks([encoder.encode('data: [DONE]')]))), [{ data: '[DONE]' }]);
  });

  it('hands each message over in the same push, as it completes (createSseDecoder)', () => {
    const received: SseMessage[] = [];
    const decoder = createSseDecoder((message) => received.push(message), { includeComments: true });
    decoder.push(encoder.encode(': keepalive 1/2\n\ndata: {"a":'));
    assert.deepEqual(received, [{ comment: 'keepalive 1/2', data: '' }]);
    decoder.push(encoder.encode('1}\n\ndata: [DONE]'));
    assert.deepEqual(received.slice(1), [{ data: '{"a":1}' }]);
    decoder.end();
    assert.deepEqual(received.slice(2), [{ data: '[DONE]' }]);
  });

  it('reads a Node Readable and a web ReadableStream', async () => {
    const readable = Readable.from([Buffer.from('data: a\n\n'), Buffer.from('data: b\n\n')]);
    assert.deepEqual(await collect(decodeSseStream(readable)), [{ data: 'a' }, { data: 'b' }]);
    const web = new Response('event: x\ndata: 1\n\n').body!;
    assert.deepEqual(await collect(decodeSseStream(web)), [{ event: 'x', data: '1' }]);
  });
});

describe('encodeSseEvent', () => {
  it('writes the event name and data, and splits multi-line data into several data lines', () => {
    assert.equal(encodeSseEvent('ping', '{"type":"ping"}'), 'event: ping\ndata: {"type":"ping"}\n\n');
    assert.equal(encodeSseEvent(undefined, 'a\nb\r\nc'), 'data: a\ndata: b\ndata: c\n\n');
    assert.equal(encodeSseJson('x', { a: '\n' }), 'event: x\ndata: {"a":"\\n"}\n\n');
    assert.equal(encodeSseComment('keepalive 1/2'), ': keepalive 1/2\n\n');
  });

  it('round-trips through the decoder', async () => {
    const events: SseMessage[] = [
      { event: 'content_block_delta', data: JSON.stringify({ text: 'multi\nline 🦙' }) },
      { event: 'raw', data: 'first\nsecond' },
    ];
    const wire = events.map((event) => encodeSseEvent(event.event, event.data)).join('');
    const bytes = encoder.encode(wire);
    for (let offset = 1; offset < bytes.length; offset += 3) {
      assert.deepEqual(await collect(decodeSseStream(yieldChunks(splitAt(bytes, [offset])))), events);
    }
  });
});
