import { classifyParagraph } from './classify-context.js';

/**
 * The first system block of every request, `x-anthropic-billing-header: cc_version=…; cch=…;`,
 * changes per conversation and would break prefix caching (PROTOCOL.md A7, C).
 */
export function removeBillingHeader(text: string): { text: string; removed: boolean } {
  const stripped = text.replace(/^x-anthropic-billing-header:[^\n]*\n*/gm, '');
  return { text: stripped, removed: stripped !== text };
}

const IDENTITY = /^You are (a )?Claude\b[^\n]*$|^You are Claude Code\b[^\n]*$|\bClaude Agent SDK\b/m;
const CLAUDE_ONLY_BLOCK = /<(claude_background_info|fast_mode_info)>[\s\S]*?<\/\1>/g;
const CLAUDE_ONLY_LINE = /^.*(\/help\b|give feedback|github\.com\/anthropics\/claude-code\/issues).*$/gim;

function mentionsAny(text: string, names: readonly string[]): boolean {
  return names.some((name) => new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
}

function isHeading(paragraph: string): boolean {
  return /^#{1,3} \S/.test(paragraph.trim());
}

/**
 * Claude Code's system prompt for a large model, minus what only makes sense
 * for Claude: its identity and model facts, Claude-only blocks, and guidance
 * about tools the local model was not given. A markdown section that opens by
 * describing such a tool goes as a whole; in a list only the lines that name
 * one go. Everything else is kept as written.
 */
export function filterClaudeSystemPrompt(text: string, leftOutTools: readonly string[]): { text: string; dropped: string[] } {
  const dropped = new Set<string>();
  const paragraphs = text.replace(CLAUDE_ONLY_BLOCK, '').replace(CLAUDE_ONLY_LINE, '').split(/\n[ \t]*\n/);
  const kept: string[] = [];
  let skippingSection = false;
  paragraphs.forEach((paragraph, index) => {
    if (!paragraph.trim()) return;
    if (isHeading(paragraph)) {
      const heading = paragraph.trim().split('\n')[0] ?? '';
      const body = paragraph.trim().includes('\n') ? paragraph : (paragraphs[index + 1] ?? '');
      skippingSection = !/^\s*[-*]\s/.test(body) && mentionsAny(body, leftOutTools);
      if (skippingSection) {
        dropped.add(`section ${heading.replace(/^#+\s*/, '')}`);
        return;
      }
    } else if (skippingSection) return;
    if (IDENTITY.test(paragraph)) return void dropped.add('model identity');
    const kind = classifyParagraph(paragraph);
    if (kind !== 'unknown' && kind !== 'environment' && kind !== 'git-status' && kind !== 'date' && kind !== 'instructions') {
      return void dropped.add(kind);
    }
    const lines = paragraph.split('\n');
    const isList = lines.filter((line) => /^\s*[-*]\s/.test(line)).length >= 2;
    if (isList) {
      const keptLines = lines.filter((line) => !(/^\s*[-*]\s/.test(line) && mentionsAny(line, leftOutTools)));
      if (keptLines.length < lines.length) dropped.add('guidance for tools left out');
      if (keptLines.some((line) => line.trim())) kept.push(keptLines.join('\n'));
      return;
    }
    if (mentionsAny(paragraph, leftOutTools)) return void dropped.add('guidance for tools left out');
    kept.push(paragraph);
  });
  return { text: kept.join('\n\n').trim(), dropped: [...dropped] };
}

/** A request without tools (a title, a summary, a file-path extraction): its system prompt is its task, kept minus Claude's identity. */
export function keepTaskSystemPrompt(text: string): string {
  return text.split('\n').filter((line) => !IDENTITY.test(line)).join('\n').trim();
}
