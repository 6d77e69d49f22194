export { createLineDecoder, createLineSplitter, type ByteSource } from './decode-sse-lines.js';
export { decodeSseStream, createSseDecoder, createEventBuilder, type SseMessage, type SseDecodeOptions } from './decode-sse-events.js';
export { encodeSseEvent, encodeSseJson, encodeSseComment } from './encode-sse-event.js';
