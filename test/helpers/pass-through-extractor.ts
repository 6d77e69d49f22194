import type { ToolCallExtractor } from '../../services/translator/local-prompt.js';

/** Text in, the same text out: for converter tests that are not about tool calls. */
export function createPassThroughExtractor(): ToolCallExtractor {
  return {
    push: (text) => (text.length ? [{ type: 'text', text }] : []),
    flush: () => [],
  };
}
