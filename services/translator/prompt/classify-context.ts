// Claude Code's context blocks (<system-reminder> texts in user messages and
// tool results, and the role "system" messages of 2.1.3xx, PROTOCOL.md C)
// split into sections and classified. Structure first: the `# key` headings
// of the context reminder, `Contents of …:` lines, a lead line ending in ":"
// with a list under it, `<env>` tags, `Name: value` lines. Exact phrases only
// to tell apart list shapes that look alike (skills, agent types, deferred
// tools). Anything not recognised is `unknown`: kept, so a new Claude Code
// feature degrades gracefully.

import type { TextCache } from '../../../lib/cache/text-cache.js';

export type FactKind = 'instructions' | 'environment' | 'git-status' | 'date';
export type InfrastructureKind =
  | 'skills listing'
  | 'skill instructions'
  | 'deferred tool list'
  | 'agent type list'
  | 'agent instructions'
  | 'attribution guidance'
  | 'hook confirmation'
  | 'todo reminder'
  | 'model identity'
  | 'file safety note';
export type SectionKind = FactKind | InfrastructureKind | 'boilerplate' | 'unknown';

export interface ContextSection {
  kind: SectionKind;
  text: string;
}

export const FACT_KINDS: readonly SectionKind[] = ['instructions', 'environment', 'git-status', 'date'];

export function isFactKind(kind: SectionKind): kind is FactKind {
  return FACT_KINDS.includes(kind);
}

/** The `# claudeMd` / `# gitStatus` / `# currentDate` keys of Claude Code's context reminder: one camelCase word. */
const CONTEXT_KEY_HEADING = /^# ([a-z][A-Za-z0-9]*)[ \t]*$/gm;
const CONTENTS_LINE = /^Contents of (.+?)(?: \(([^)\n]*)\))?:[ \t]*$/m;
const TRAILER = /may or may not be relevant|attached this context automatically|isn't part of the user's message/i;

const KEY_KINDS: Readonly<Record<string, SectionKind>> = {
  claudemd: 'instructions',
  memory: 'instructions',
  gitstatus: 'git-status',
  currentdate: 'date',
  environment: 'environment',
};

function splitParagraphs(text: string): string[] {
  const paragraphs = text.split(/\n[ \t]*\n/).map((paragraph) => paragraph.replace(/^\n+|\s+$/g, '')).filter((paragraph) => paragraph.trim());
  // A lead line ending in ":" (or a lone heading) owns the list or paragraph under it.
  const merged: string[] = [];
  for (const paragraph of paragraphs) {
    const previous = merged.at(-1);
    const previousOwnsNext = previous !== undefined && (/:\s*$/.test(previous) || /^#{1,3} [^\n]+$/.test(previous.trim()));
    const isList = /^\s*(-|\*|\d+\.)\s/.test(paragraph);
    if (previous !== undefined && previousOwnsNext && (isList || /^#{1,3} [^\n]+$/.test(previous.trim()))) {
      merged[merged.length - 1] = `${previous}\n\n${paragraph}`;
    } else if (previous !== undefined && isList && /^\s*(-|\*)\s/.test(previous.split('\n').at(-1) ?? '') && /:\s*$/.test(previous.split('\n')[0] ?? '')) {
      merged[merged.length - 1] = `${previous}\n\n${paragraph}`; // a list that continues after a blank line
    } else merged.push(paragraph);
  }
  return merged;
}

/** One paragraph (or a lead line with its list) by its shape. */
export function classifyParagraph(paragraph: string): SectionKind {
  const lead = paragraph.trim().split('\n')[0] ?? '';
  const hasList = /\n\s*(-|\*)\s+\S+/.test(paragraph);
  if (TRAILER.test(paragraph)) return 'boilerplate';
  if (/^(#{1,3} )?environment\b/i.test(lead) || /<env>/.test(paragraph) || /^[\t ]*(-[\t ]*)?(primary )?working directory:/im.test(paragraph)) return 'environment';
  if (/^gitStatus:|^Current branch:/m.test(paragraph)) return 'git-status';
  if (CONTENTS_LINE.test(paragraph)) return 'instructions';
  if (paragraph.length < 200 && /\bdate\b/i.test(paragraph) && /\d{4}-\d{2}-\d{2}/.test(paragraph)) return 'date';
  if (/you are powered by the model|knowledge cutoff|most recent (frontier )?claude models?|<claude_background_info>|<fast_mode_info>|\bfast mode\b/i.test(paragraph)) return 'model identity';
  if (/\bdeferred tools?\b/i.test(lead)) return 'deferred tool list';
  if (/\bagent types?\b/i.test(lead)) return 'agent type list';
  if (/\bskills?\b/i.test(lead) && hasList) return 'skills listing';
  if (/\bskill tool\b|\/<skill-name>|\bskills?\b.*\binvoke/i.test(paragraph)) return 'skill instructions';
  if (/\b(launch|spawn|start)\w*\b.*\b(sub-?)?agents?\b/i.test(lead)) return 'agent instructions';
  if (/^attribution\b/i.test(lead) || /co-authored-by/i.test(paragraph)) return 'attribution guidance';
  if (/\bhook\b.*\b(success|succeeded|completed|additional context)\b/i.test(lead)) return 'hook confirmation';
  if (/\b(todowrite|todo list|task list|taskcreate|task tools?)\b/i.test(paragraph)) return 'todo reminder';
  if (/\bmalware\b/i.test(paragraph)) return 'file safety note';
  if (/^[^\n]*\bfollowing context:?\s*$/i.test(paragraph.trim())) return 'boilerplate';
  return 'unknown';
}

/** Text without `# key` headings: instructions from the first `Contents of …:` line on, the rest by paragraph. */
function classifyPlainText(text: string): ContextSection[] {
  const contents = CONTENTS_LINE.exec(text);
  if (contents) {
    const before = text.slice(0, contents.index);
    // The paragraph right above the first file ("Codebase and user instructions are shown below…") introduces it.
    const paragraphs = splitParagraphs(before);
    const intro = paragraphs.length > 0 ? paragraphs.pop() : undefined;
    const sections = paragraphs.map((paragraph) => ({ kind: classifyParagraph(paragraph), text: paragraph }));
    if (intro !== undefined) sections.push({ kind: 'boilerplate', text: intro });
    return [...sections, ...splitTrailer(text.slice(contents.index), 'instructions')];
  }
  return splitParagraphs(text).map((paragraph) => ({ kind: classifyParagraph(paragraph), text: paragraph }));
}

/** A section's trailing boilerplate paragraphs ("IMPORTANT: this context may or may not be relevant…") split off; the rest is kept as written. */
function splitTrailer(text: string, kind: SectionKind): ContextSection[] {
  let body = text.trimEnd();
  let trailer = '';
  for (;;) {
    const boundary = body.search(/\n[ \t]*\n(?![\s\S]*\n[ \t]*\n)/);
    if (boundary < 0 || !TRAILER.test(body.slice(boundary))) break;
    trailer = `${body.slice(boundary).trim()}${trailer ? `\n\n${trailer}` : ''}`;
    body = body.slice(0, boundary).trimEnd();
  }
  const sections: ContextSection[] = [{ kind, text: body.replace(/^\n+/, '') }];
  if (trailer) sections.push({ kind: 'boilerplate', text: trailer });
  return sections;
}

// Claude Code sends the same context texts with every request of a
// conversation (the first message's reminders, the role "system" messages):
// each is classified once, in a cache the translator owns (prompt-caches.ts).
// The sections are frozen, so callers cannot change what later requests get.
export type ContextCache = TextCache<readonly ContextSection[]>;

/** A reminder's or system message's text as classified sections, in order. */
export function classifyContext(text: string, cache: ContextCache): readonly ContextSection[] {
  return cache.getOrSet(text, () => Object.freeze(classifyContextUncached(text).map((section) => Object.freeze(section))));
}

function classifyContextUncached(text: string): ContextSection[] {
  const headings = [...text.matchAll(CONTEXT_KEY_HEADING)];
  if (headings.length === 0) return classifyPlainText(text);
  const sections: ContextSection[] = [];
  const preamble = text.slice(0, headings[0]?.index ?? 0);
  if (preamble.trim()) sections.push(...classifyPlainText(preamble));
  headings.forEach((heading, index) => {
    const end = headings[index + 1]?.index ?? text.length;
    const body = text.slice((heading.index ?? 0) + heading[0].length, end);
    const kind = KEY_KINDS[(heading[1] ?? '').toLowerCase()];
    if (kind === 'instructions') {
      const contents = CONTENTS_LINE.exec(body);
      sections.push(...splitTrailer(contents ? body.slice(contents.index) : body, 'instructions'));
    } else if (kind) sections.push(...splitTrailer(body, kind));
    else sections.push(...classifyPlainText(body));
  });
  return sections.filter((section) => section.text.trim().length > 0);
}

export interface InstructionFile {
  source: string;
  text: string;
}

/** `Contents of PATH (description):` entries of an instructions section. */
export function readInstructionFiles(text: string): InstructionFile[] {
  const pattern = new RegExp(CONTENTS_LINE.source, 'gm');
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text.trim() ? [{ source: 'instructions', text: text.trim() }] : [];
  return matches.map((match, index) => ({
    source: match[1] ?? 'instructions',
    text: text.slice((match.index ?? 0) + match[0].length, matches[index + 1]?.index ?? text.length).trim(),
  }));
}
