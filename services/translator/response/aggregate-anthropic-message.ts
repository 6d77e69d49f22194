import { AnthropicHttpError } from '../../../lib/http/anthropic-error.js';
import type { AnthropicMessageResponse, ResponseContentBlock } from '../../../lib/wire/anthropic.js';
import type { AnthropicStreamEvent } from './anthropic-stream-events.js';

// JSON mode: the same events the stream gets, folded into one message the
// way the SDK's MessageStream accumulates them. An impossible order throws,
// so a converter bug cannot produce a quietly wrong answer.

/** A converter bug, answered as a 500 that a retry cannot fix (the same chunks give the same order). */
export class StreamOrderError extends AnthropicHttpError {
  override name = 'StreamOrderError';
  constructor(message: string) {
    super(500, `the translator built an impossible answer: ${message}`, { type: 'api_error', retryable: false });
  }
}

export interface MessageAggregator {
  push(event: AnthropicStreamEvent): void;
  /** The finished message; throws if message_stop was not seen. */
  result(): AnthropicMessageResponse;
}

export function createMessageAggregator(): MessageAggregator {
  let message: AnthropicMessageResponse | null = null;
  let stopped = false;
  const partialJson = new Map<number, string>();

  const requireMessage = (event: AnthropicStreamEvent): AnthropicMessageResponse => {
    if (!message) throw new StreamOrderError(`${event.type} before message_start`);
    if (stopped) throw new StreamOrderError(`${event.type} after message_stop`);
    return message;
  };

  const requireBlock = (current: AnthropicMessageResponse, index: number, event: string): ResponseContentBlock => {
    const block = current.content[index];
    if (!block) throw new StreamOrderError(`${event} for block ${index}, which was never started`);
    return block;
  };

  return {
    push(event) {
      switch (event.type) {
        case 'message_start':
          if (message) throw new StreamOrderError('a second message_start');
          message = { ...event.message, content: [], usage: { ...event.message.usage } };
          return;
        case 'content_block_start': {
          const current = requireMessage(event);
          if (event.index !== current.content.length) throw new StreamOrderError(`block ${event.index} started, expected ${current.content.length}`);
          current.content.push({ ...event.content_block } as ResponseContentBlock);
          return;
        }
        case 'content_block_delta': {
          const block = requireBlock(requireMessage(event), event.index, event.type);
          const delta = event.delta;
          if (delta.type === 'text_delta' && block.type === 'text') block.text += delta.text;
          else if (delta.type === 'thinking_delta' && block.type === 'thinking') block.thinking += delta.thinking;
          else if (delta.type === 'signature_delta' && block.type === 'thinking') block.signature = delta.signature;
          else if (delta.type === 'input_json_delta' && block.type === 'tool_use') partialJson.set(event.index, (partialJson.get(event.index) ?? '') + delta.partial_json);
          else throw new StreamOrderError(`${delta.type} on a ${block.type} block`);
          return;
        }
        case 'content_block_stop': {
          const block = requireBlock(requireMessage(event), event.index, event.type);
          const json = partialJson.get(event.index);
          if (block.type === 'tool_use') block.input = json ? (JSON.parse(json) as Record<string, unknown>) : {};
          return;
        }
        case 'message_delta': {
          const current = requireMessage(event);
          current.stop_reason = event.delta.stop_reason;
          current.stop_sequence = event.delta.stop_sequence;
          current.usage = { ...event.usage };
          return;
        }
        case 'message_stop':
          requireMessage(event);
          stopped = true;
          return;
        case 'ping':
          return;
        case 'error':
          throw new StreamOrderError(`an error event inside a message: ${event.error.message}`);
        default: {
          const exhaustive: never = event;
          throw new StreamOrderError(`unknown event ${JSON.stringify(exhaustive)}`);
        }
      }
    },
    result() {
      if (!message || !stopped) throw new StreamOrderError('the message was not finished');
      return message;
    },
  };
}
