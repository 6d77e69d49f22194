import { createPromptCaches, type PromptCaches } from './prompt/prompt-caches.js';
import { createReplayStore, type ReplayStore, type ReplayStoreLimits } from './replay/replay-store.js';

// Everything the translator remembers between requests, created in createApp
// and passed to what uses it: nothing is kept at module level, so two apps in
// one process (tests) never share state.

export interface TranslatorState {
  /** Prompt preparation's caches: classified contexts, facts, model sizes, tool instructions. */
  promptCaches: PromptCaches;
  /** The local model's recent answers, replayed verbatim (PROTOCOL.md D3). */
  replay: ReplayStore;
}

export function createTranslatorState(replayLimits?: ReplayStoreLimits): TranslatorState {
  return { promptCaches: createPromptCaches(), replay: createReplayStore(replayLimits) };
}
