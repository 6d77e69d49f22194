import { decodeSseStream, type ByteSource, type SseMessage } from '../../lib/sse/index.js';

// An independent check of an Anthropic SSE stream against PROTOCOL.md B4 (the
// SDK accumulator's rules), written apart from the translator's own aggregator
// so that a bug both share would still show. Used by the reliability and load
// tests on every stream the stack answers.

export interface StreamCheck {
  /** Every rule the stream broke, in order; empty for a valid stream. */
  violations: string[];
  /** Event names in order (pings included). */
  events: string[];
  /** The concatenated text of every text block. */
  text: string;
  stopReason: string | null;
  /** The `error.type` of an `event: error`, when the stream ended with one. */
  errorType: string | null;
}

interface OrderState {
  started: boolean;
  stopped: boolean;
  nextIndex: number;
  openIndex: number | null;
  openType: string | null;
  deltaSeen: boolean;
  errored: boolean;
}

function checkEvent(state: OrderState, message: SseMessage, check: StreamCheck): void {
  const name = message.event;
  let data: any;
  try {
    data = JSON.parse(message.data);
  } catch {
    check.violations.push(`event ${String(name)}: data is not JSON`);
    return;
  }
  if (name === undefined) check.violations.push(`an event without an "event:" line (${String(data?.type)})`);
  else if (data?.type !== name) check.violations.push(`event ${name} carries data of type ${String(data?.type)}`);
  if (state.stopped || state.errored) check.violations.push(`${String(name)} after the stream ended`);
  if (name !== 'message_start' && name !== 'error' && !state.started) check.violations.push(`${String(name)} before message_start`);
  switch (name) {
    case 'message_start':
      if (state.started) check.violations.push('a second message_start');
      state.started = true;
      break;
    case 'ping':
      break;
    case 'content_block_start':
      if (state.openIndex !== null) check.violations.push(`block ${data.index} started while block ${state.openIndex} is open`);
      if (data.index !== state.nextIndex) check.violations.push(`block ${data.index} started, expected ${state.nextIndex}`);
      if (state.deltaSeen) check.violations.push('content_block_start after message_delta');
      if (data.content_block?.type === 'tool_use' && JSON.stringify(data.content_block.input) !== '{}') check.violations.push('tool_use start with a non-empty input');
      state.openIndex = data.index;
      state.openType = data.content_block?.type ?? null;
      state.nextIndex = data.index + 1;
      break;
    case 'content_block_delta':
      if (data.index !== state.openIndex) check.violations.push(`delta for block ${data.index}, open is ${String(state.openIndex)}`);
      if (data.delta?.type === 'text_delta') {
        if (state.openType !== 'text') check.violations.push(`text_delta on a ${String(state.openType)} block`);
        check.text += data.delta.text;
      }
      break;
    case 'content_block_stop':
      if (data.index !== state.openIndex) check.violations.push(`stop for block ${data.index}, open is ${String(state.openIndex)}`);
      state.openIndex = null;
      state.openType = null;
      break;
    case 'message_delta':
      if (state.openIndex !== null) check.violations.push(`message_delta while block ${state.openIndex} is open`);
      if (typeof data.usage?.output_tokens !== 'number') check.violations.push('message_delta without usage.output_tokens');
      state.deltaSeen = true;
      check.stopReason = data.delta?.stop_reason ?? null;
      break;
    case 'message_stop':
      if (!state.deltaSeen) check.violations.push('message_stop without a message_delta');
      state.stopped = true;
      break;
    case 'error':
      state.errored = true;
      check.errorType = data.error?.type ?? 'unknown';
      break;
    default:
      check.violations.push(`unknown event ${String(name)}`);
  }
}

/** Checks a whole stream (already read) given as SSE messages. */
export function checkSseMessages(messages: Iterable<SseMessage>): StreamCheck {
  const check: StreamCheck = { violations: [], events: [], text: '', stopReason: null, errorType: null };
  const state: OrderState = { started: false, stopped: false, nextIndex: 0, openIndex: null, openType: null, deltaSeen: false, errored: false };
  for (const message of messages) {
    check.events.push(message.event ?? '(none)');
    checkEvent(state, message, check);
  }
  if (!state.stopped && !state.errored) check.violations.push('the stream ended without message_stop or error');
  return check;
}

/** Reads an SSE body to its end and checks it. */
export async function readAndCheckSse(body: ByteSource): Promise<StreamCheck> {
  const messages: SseMessage[] = [];
  for await (const message of decodeSseStream(body)) messages.push(message);
  return checkSseMessages(messages);
}
