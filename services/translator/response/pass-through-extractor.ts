import type { ToolCallExtractor } from '../local-prompt.js';

/** Text in, the same text out: the extractor used until tool-call extraction (services/translator/tools) lands, and in native mode. */
export function createPassThroughExtractor(): ToolCallExtractor {
  return {
    push: (text) => (text.length ? [{ type: 'text', text }] : []),
    flush: () => [],
  };
}
