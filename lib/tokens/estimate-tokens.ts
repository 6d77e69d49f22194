// A token estimate without a tokenizer. Qwen and Claude tokenizers average
// about 3.5 characters per token on Claude Code's mix of English prose, JSON
// schemas and code; the estimate only has to be good enough for budgets and
// count_tokens, which Claude Code uses to decide when to compact.
const CHARS_PER_TOKEN = 3.5;

export function estimateTokens(text: string): number {
  return estimateTokensOfLength(text.length);
}

/** The estimate for a text of this many characters (sizes summed without building the text). */
export function estimateTokensOfLength(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
