import { encodeSseJson } from '../../../lib/sse/encode-sse-event.js';

// What a background call gets when the local model could not serve it in
// time and no Claude tier may (routing.background): a complete, valid
// Anthropic answer with an empty text, JSON or SSE as asked. Claude Code
// treats it as a model that had nothing to say (a title stays the default
// one) and does not retry it, as it would an error.

export interface ShortAnswer {
  contentType: string;
  body: string;
}

export function createShortAnswer({ stream, model, id }: { stream: boolean; model: string; id: string }): ShortAnswer {
  const usage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const content = [{ type: 'text', text: '' }];
  if (!stream) {
    const message = { id, type: 'message', role: 'assistant', model, content, stop_reason: 'end_turn', stop_sequence: null, usage };
    return { contentType: 'application/json', body: JSON.stringify(message) };
  }
  const events = [
    encodeSseJson('message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage } }),
    encodeSseJson('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    encodeSseJson('content_block_stop', { type: 'content_block_stop', index: 0 }),
    encodeSseJson('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 0 } }),
    encodeSseJson('message_stop', { type: 'message_stop' }),
  ];
  return { contentType: 'text/event-stream; charset=utf-8', body: events.join('') };
}
