import { LruCache } from '../../../lib/cache/lru-cache.js';
import { TextCache } from '../../../lib/cache/text-cache.js';
import type { DetectedModelSize } from '../../../lib/models/model-size.js';
import { createToolInstructionRenders, type ToolInstructionRenders } from '../tools/render-tool-instructions.js';
import type { ContextCache } from './classify-context.js';
import type { FactsCache } from './read-facts.js';

// What prompt preparation remembers between requests, in one object the
// translator creates in createApp and passes in (nothing at module level):
// Claude Code sends the same long texts with every request of a conversation,
// so each is classified, read or rendered once. Every cache only saves work;
// a fresh one gives the same prompts.

export interface PromptCaches {
  /** Reminder and system-message texts → their classified sections. */
  contexts: ContextCache;
  /** Texts carrying environment and git facts → the facts read from them. */
  facts: FactsCache;
  /** The model id (from config) → its size tier. */
  modelSizes: LruCache<string, DetectedModelSize>;
  /** The tool instructions of the last few tool sets. */
  toolInstructions: ToolInstructionRenders;
}

export function createPromptCaches(): PromptCaches {
  return {
    contexts: new TextCache(64),
    facts: new TextCache(64),
    modelSizes: new LruCache(4),
    toolInstructions: createToolInstructionRenders(),
  };
}
