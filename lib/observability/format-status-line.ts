import type { RequestRecord } from './request-record.js';

/** "mlx-community/Qwen2.5-Coder-7B-Instruct-4bit" → "qwen2.5-coder-7b". */
export function shortenModelName(model: string): string {
  const name = model.split('/').pop() ?? model;
  return name.replace(/-instruct.*$/i, '').replace(/-(\d+bit|mlx|gguf).*$/i, '').toLowerCase();
}

/**
 * The one-line status Claude Code shows under its prompt (pure):
 * `⚡ local · qwen2.5-coder-7b · simple_code` or `☁ claude-opus-5-5 · hard_question · escalated`.
 */
export function formatStatusLine(record: RequestRecord | null): string {
  if (!record) return 'mallex · no request yet';
  const parts = record.route === 'local' ? ['⚡ local', shortenModelName(record.model)] : [`☁ ${record.model}`];
  if (record.category) parts.push(record.category);
  if (record.escalated) parts.push('escalated');
  else if (record.reason !== 'classified' && record.reason !== 'tool-loop') parts.push(record.reason);
  return parts.join(' · ');
}
