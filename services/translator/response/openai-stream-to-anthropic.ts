import { estimateTokens } from '../../../lib/tokens/estimate-tokens.js';
import type { OpenAiStreamChunk, OpenAiUsage } from '../../../lib/wire/openai.js';
import type { AnthropicStreamEvent } from './anthropic-stream-events.js';
import { createContentBlockWriter } from './content-block-writer.js';
import type { ExtractorEvent, ToolCallExtractor } from '../local-prompt.js';
import { mapFinishReason } from './map-finish-reason.js';
import { mapUsage } from './map-usage.js';
import { describeAnswerParts, type ModelToolCall, type ModelTurn } from '../replay/model-turn.js';

// OpenAI stream chunks → Anthropic stream events (PROTOCOL.md A5 → B4). Pure:
// ids come in as dependencies, and the caller does the I/O and the timing.

export interface StreamConversionDependencies {
  messageId: string;
  /** Echoed back as the message's model, as Anthropic does. */
  model: string;
  /** The prompt's estimated size, reported in message_start before the server's count is known. */
  inputTokensEstimate: number;
  createToolUseId: () => string;
  extractor: ToolCallExtractor;
}

export interface StreamConverter {
  start(): AnthropicStreamEvent[];
  push(chunk: OpenAiStreamChunk): AnthropicStreamEvent[];
  /** At the end of the upstream stream. `failure` is set when the stream ended without a finish reason. */
  finish(): { events: AnthropicStreamEvent[]; failure: string | null };
  /**
   * After a finish without failure: what the model wrote, to be replayed when
   * Claude Code sends this answer back. Undefined when the answer Claude Code
   * got is not the model's own (a call mallex annotated or could not resolve).
   */
  readModelTurn(): ModelTurn | undefined;
}

interface PendingToolCall {
  name: string;
  arguments: string;
}

/** Arguments as a JSON object text, or null while they are incomplete. */
export function readToolArguments(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : null;
  } catch {
    return null;
  }
}

export function createStreamConverter(deps: StreamConversionDependencies): StreamConverter {
  const writer = createContentBlockWriter();
  // mlx sends each tool call whole (A4); other OpenAI servers stream arguments
  // in pieces, so a call is held by index until its arguments parse.
  const pendingCalls = new Map<number, PendingToolCall>();
  let finishReason: string | null = null;
  let usage: OpenAiUsage | undefined;
  // The model's own output, for replay (replay/model-turn.ts).
  const contentPieces: string[] = [];
  const modelToolCalls: ModelToolCall[] = [];
  let replayable = true;
  let completed = false;

  const writeExtracted = (extracted: ExtractorEvent[]): AnthropicStreamEvent[] =>
    extracted.flatMap((event) => {
      switch (event.type) {
        case 'text':
          if (event.annotated) replayable = false;
          return writer.appendText('text', event.text);
        case 'tool_call':
          return writer.writeToolUse(deps.createToolUseId(), event.name, JSON.stringify(event.input));
        default: {
          const exhaustive: never = event;
          throw new TypeError(`unknown extractor event ${JSON.stringify(exhaustive)}`);
        }
      }
    });

  const writeToolCall = (name: string, argumentsText: string): AnthropicStreamEvent[] => {
    if (deps.extractor.resolveServerCall) {
      const resolved = deps.extractor.resolveServerCall(name, argumentsText);
      const call = resolved.length === 1 ? resolved[0] : undefined;
      if (call?.type !== 'tool_call') {
        replayable = false;
        return writeExtracted(resolved);
      }
      const id = deps.createToolUseId();
      modelToolCalls.push({ id, name, arguments: argumentsText });
      return writer.writeToolUse(id, call.name, JSON.stringify(call.input));
    }
    // Unparseable arguments are kept (as a string field) so Claude Code reports the bad call to the model instead of it vanishing.
    const json = readToolArguments(argumentsText) ?? (argumentsText.trim() === '' ? '{}' : JSON.stringify({ arguments: argumentsText }));
    const id = deps.createToolUseId();
    modelToolCalls.push({ id, name, arguments: argumentsText });
    return writer.writeToolUse(id, name, json);
  };

  const releasePendingCalls = (): AnthropicStreamEvent[] => {
    const events = [...pendingCalls.values()].flatMap((call) => writeToolCall(call.name, call.arguments));
    pendingCalls.clear();
    return events;
  };

  return {
    start: () => [
      {
        type: 'message_start',
        message: {
          id: deps.messageId,
          type: 'message',
          role: 'assistant',
          model: deps.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: deps.inputTokensEstimate, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
    ],

    push(chunk) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) return [];
      const events: AnthropicStreamEvent[] = [];
      const delta = choice.delta ?? {};
      // Inside one chunk: reasoning, then tool_calls, then content (A5).
      if (delta.reasoning) events.push(...writer.appendText('thinking', delta.reasoning));
      delta.tool_calls?.forEach((call, position) => {
        const index = call.index ?? position;
        const pending = pendingCalls.get(index) ?? { name: '', arguments: '' };
        pending.name ||= call.function?.name ?? '';
        pending.arguments += call.function?.arguments ?? '';
        if (readToolArguments(pending.arguments) !== null) {
          pendingCalls.delete(index);
          events.push(...writeToolCall(pending.name, pending.arguments));
        } else pendingCalls.set(index, pending);
      });
      if (delta.content) {
        contentPieces.push(delta.content);
        events.push(...writeExtracted(deps.extractor.push(delta.content)));
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
      return events;
    },

    finish() {
      const events = [...writeExtracted(deps.extractor.flush()), ...releasePendingCalls(), ...writer.close()];
      if (finishReason === null) return { events, failure: 'the local model stream ended without a finish reason' };
      const estimates = { inputTokens: deps.inputTokensEstimate, outputTokens: estimateTokens(writer.readWrittenText()) };
      events.push(
        { type: 'message_delta', delta: { stop_reason: mapFinishReason(finishReason, writer.emittedToolUse), stop_sequence: null }, usage: mapUsage(usage, estimates) },
        { type: 'message_stop' },
      );
      completed = true;
      return { events, failure: null };
    },

    readModelTurn() {
      if (!replayable || !completed) return undefined;
      const answer = describeAnswerParts(writer.readAnswerParts());
      if (answer.length === 0) return undefined;
      return { content: contentPieces.join(''), toolCalls: modelToolCalls, answer };
    },
  };
}
