import type { AnthropicStreamEvent, BlockDelta, StartedBlock } from './anthropic-stream-events.js';
import { LOCAL_THINKING_SIGNATURE } from './anthropic-stream-events.js';
import type { AnswerPart } from '../replay/model-turn.js';

// Keeps the one rule the SDK's accumulator enforces (PROTOCOL.md B4): blocks
// are appended with indexes 0,1,2… and only one is open at a time. Thinking
// blocks get their signature_delta just before their stop.

type OpenKind = StartedBlock['type'];

export interface ContentBlockWriter {
  /** Appends a delta to an open block of this kind, opening one (and closing another) if needed. */
  appendText(kind: 'text' | 'thinking', text: string): AnthropicStreamEvent[];
  /** A whole tool_use block: start, one input_json_delta with the JSON, stop. */
  writeToolUse(id: string, name: string, inputJson: string): AnthropicStreamEvent[];
  close(): AnthropicStreamEvent[];
  readonly emittedToolUse: boolean;
  /** Text, thinking and tool input written so far, for an output estimate when the server sends no usage. */
  readWrittenText(): string;
  /** The text and tool_use blocks written, as Claude Code will send them back (replay/model-turn.ts). */
  readAnswerParts(): AnswerPart[];
}

export function createContentBlockWriter(): ContentBlockWriter {
  let nextIndex = 0;
  let open: { kind: OpenKind; index: number } | null = null;
  let emittedToolUse = false;
  const written: string[] = [];
  const answerParts: AnswerPart[] = [];

  const close = (): AnthropicStreamEvent[] => {
    if (!open) return [];
    const events: AnthropicStreamEvent[] = [];
    if (open.kind === 'thinking') {
      events.push({ type: 'content_block_delta', index: open.index, delta: { type: 'signature_delta', signature: LOCAL_THINKING_SIGNATURE } });
    }
    events.push({ type: 'content_block_stop', index: open.index });
    open = null;
    return events;
  };

  const start = (block: StartedBlock): AnthropicStreamEvent[] => {
    const events = close();
    open = { kind: block.type, index: nextIndex++ };
    events.push({ type: 'content_block_start', index: open.index, content_block: block });
    return events;
  };

  return {
    appendText(kind, text) {
      if (text.length === 0) return [];
      written.push(text);
      const continuing = open?.kind === kind;
      const events = continuing ? [] : start(kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' });
      const delta: BlockDelta = kind === 'text' ? { type: 'text_delta', text } : { type: 'thinking_delta', thinking: text };
      events.push({ type: 'content_block_delta', index: open!.index, delta });
      if (kind === 'text') {
        const last = answerParts.at(-1);
        if (continuing && last?.type === 'text') last.text += text;
        else answerParts.push({ type: 'text', text });
      }
      return events;
    },
    writeToolUse(id, name, inputJson) {
      emittedToolUse = true;
      written.push(name, inputJson);
      answerParts.push({ type: 'tool_use', id, name });
      const events = start({ type: 'tool_use', id, name, input: {} });
      const index = open!.index;
      events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: inputJson } }, ...close());
      return events;
    },
    close,
    get emittedToolUse() {
      return emittedToolUse;
    },
    readWrittenText: () => written.join(''),
    readAnswerParts: () => answerParts,
  };
}
