import type { ContentBlock } from '../../../lib/wire/anthropic.js';
import { describeAnswer, type ModelTurn } from './model-turn.js';

// The local model's recent answers, found again by the answer Claude Code
// sends back. Bounded by count and by characters; the least recently used
// answer goes first. An answer not found is rendered canonically, so a
// forgotten one costs prefill time, never correctness.

export interface ReplayStoreLimits {
  maxEntries: number;
  /** Characters of content, arguments and keys together. */
  maxChars: number;
}

// Enough for the answers of several long sessions (only the newest turns of a
// conversation can still be in the model's cache anyway), and at most a few
// megabytes of strings in the translator.
export const DEFAULT_REPLAY_LIMITS: ReplayStoreLimits = { maxEntries: 256, maxChars: 4_000_000 };

export interface ReplayStore {
  remember(turn: ModelTurn): void;
  /** The turn whose answer is exactly `answer`, or undefined. */
  find(answer: string): ModelTurn | undefined;
  readonly size: number;
  readonly chars: number;
}

function measureTurn(turn: ModelTurn): number {
  let chars = turn.content.length + turn.answer.length;
  for (const call of turn.toolCalls) chars += call.id.length + call.name.length + call.arguments.length;
  return chars;
}

export function createReplayStore(limits: ReplayStoreLimits = DEFAULT_REPLAY_LIMITS): ReplayStore {
  // A Map keeps insertion order: the first key is the least recently used.
  const turns = new Map<string, { turn: ModelTurn; chars: number }>();
  let chars = 0;

  const forget = (answer: string): void => {
    const entry = turns.get(answer);
    if (!entry) return;
    turns.delete(answer);
    chars -= entry.chars;
  };

  return {
    remember(turn) {
      forget(turn.answer);
      const size = measureTurn(turn);
      // An answer larger than the whole store is not kept: it would push out everything else.
      if (size > limits.maxChars || limits.maxEntries === 0) return;
      turns.set(turn.answer, { turn, chars: size });
      chars += size;
      while (turns.size > limits.maxEntries || chars > limits.maxChars) forget(turns.keys().next().value as string);
    },
    find(answer) {
      const entry = turns.get(answer);
      if (!entry) return undefined;
      turns.delete(answer);
      turns.set(answer, entry);
      return entry.turn;
    },
    get size() {
      return turns.size;
    },
    get chars() {
      return chars;
    },
  };
}

/** The model's own turn for an assistant message Claude Code sent back, if the store still has it. */
export function findModelTurn(store: ReplayStore, blocks: readonly ContentBlock[]): ModelTurn | undefined {
  if (store.size === 0) return undefined;
  const answer = describeAnswer(blocks);
  return answer === undefined ? undefined : store.find(answer);
}
