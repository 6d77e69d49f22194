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
const CLAUDE_ONLY_LINE =
  /^.*(\/help\b|give feedback|github\.com\/anthropics\/claude-code\/issues|you are powered by the model|knowledge cutoff|most recent (frontier )?claude models?|claude code is available as|\bfast mode\b).*\n?/gim;

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
  const withoutExamples = text.replace(/<example>[\s\S]*?<\/example>\n?/g, (example) => {
    if (!mentionsAny(example, leftOutTools)) return example;
    dropped.add('examples for tools left out');
    return '';
  });
  const paragraphs = withoutExamples.replace(CLAUDE_ONLY_BLOCK, '').replace(CLAUDE_ONLY_LINE, '').split(/\n[ \t]*\n/);
  const kept: string[] = [];
  let skippingSection = false;
  paragraphs.forEach((paragraph, index) => {
    if (!paragraph.trim()) return;
    if (isHeading(paragraph)) {
      const [heading = '', ...bodyLines] = paragraph.trim().split('\n');
      // The section's first line says what it is about: prose about a left-out tool drops the section.
      const opening = (bodyLines.length > 0 ? bodyLines[0] : (paragraphs[index + 1] ?? '').trim().split('\n')[0]) ?? '';
      skippingSection = !/^\s*[-*]\s/.test(opening) && mentionsAny(opening, leftOutTools);
      if (skippingSection) {
        dropped.add(`section ${heading.replace(/^#+\s*/, '')}`);
        return;
      }
    } else if (skippingSection) return;
    if (IDENTITY.test(paragraph)) return void dropped.add('model identity');
    const lines = paragraph.split('\n');
    const isList = lines.filter((line) => /^\s*[-*]\s/.test(line)).length >= 2;
    const kind = isList ? 'unknown' : classifyParagraph(paragraph);
    if (kind !== 'unknown' && kind !== 'environment' && kind !== 'git-status' && kind !== 'date' && kind !== 'instructions') {
      return void dropped.add(kind);
    }
    if (isList) {
      const keptLines = lines.filter((line) => !(/^\s*[-*]\s/.test(line) && mentionsAny(line, leftOutTools)));
      if (keptLines.length < lines.length) dropped.add('guidance for tools left out');
      if (keptLines.some((line) => line.trim())) kept.push(keptLines.join('\n'));
      return;
    }
    if (mentionsAny(paragraph, leftOutTools)) return void dropped.add('guidance for tools left out');
    kept.push(paragraph);
  });
  // A heading whose whole section went says nothing.
  const withoutEmptySections = kept.filter((paragraph, index) => !(isHeading(paragraph) && !paragraph.trim().includes('\n') && (index === kept.length - 1 || isHeading(kept[index + 1] ?? ''))));
  return { text: withoutEmptySections.join('\n\n').trim(), dropped: [...dropped] };
}

/** A request without tools (a title, a summary, a file-path extraction): its system prompt is its task, kept minus Claude's identity. */
export function keepTaskSystemPrompt(text: string): string {
  return text.split('\n').filter((line) => !IDENTITY.test(line)).join('\n').trim();
}
