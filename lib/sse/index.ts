export { decodeSseLines, decodeUtf8Chunks, createLineSplitter, type ByteSource } from './decode-sse-lines.js';
export { decodeSseStream, createEventBuilder, type SseMessage, type SseDecodeOptions } from './decode-sse-events.js';
export { encodeSseEvent, encodeSseJson, encodeSseComment } from './encode-sse-event.js';
