import type { TextCache } from '../../../lib/cache/text-cache.js';
import { readInstructionFiles, type FactKind, type InstructionFile } from './classify-context.js';

/** What the local model must know about the user's environment (issue #4: kept through every trim). */
export interface PromptFacts {
  workingDirectory?: string;
  platform?: string;
  shell?: string;
  osVersion?: string;
  isGitRepo?: boolean;
  gitBranch?: string;
  mainBranch?: string;
  /** `git status --short` lines; empty when clean. */
  gitChanges?: readonly string[];
  recentCommits?: readonly string[];
  date?: string;
  /** CLAUDE.md and memory files, in the order Claude Code sent them, without duplicates. */
  instructions: InstructionFile[];
}

export function createEmptyFacts(): PromptFacts {
  return { instructions: [] };
}

// `Name: value` lines as Claude Code writes them in <env>, "# Environment"
// bullets (" - Primary working directory: …") and gitStatus. One pass over
// the text for all of them (the system prompt is some 25,000 characters),
// the first line of each kind winning.
const FACT_LINE_LABELS = {
  workingDirectory: '(?:primary )?working directory',
  platform: 'platform',
  shell: 'shell',
  osVersion: 'os version',
  isGitRepo: 'is (?:directory )?a git repo(?:sitory)?',
  gitBranch: 'current branch',
  mainBranch: 'main branch[^:\\n]*',
} as const;
type FactLineKey = keyof typeof FACT_LINE_LABELS;
const FACT_LINE_KEYS = Object.keys(FACT_LINE_LABELS) as FactLineKey[];
const FACT_LINE = new RegExp(
  `^[\\t ]*(?:-[\\t ]*)?(?:${Object.entries(FACT_LINE_LABELS).map(([key, label]) => `(?<${key}>${label})`).join('|')}):[\\t ]*(?<value>\\S[^\\n]*)$`,
  'gim',
);

function readLines(text: string): Partial<Record<FactLineKey, string>> {
  const found: Partial<Record<FactLineKey, string>> = {};
  for (const match of text.matchAll(FACT_LINE)) {
    const groups = match.groups ?? {};
    const key = FACT_LINE_KEYS.find((name) => groups[name] !== undefined);
    if (key && found[key] === undefined) found[key] = groups.value?.trim();
  }
  return found;
}

/** The lines of a `Label:` block, up to the next blank line or the end of the text (not of the line: `m` makes `$` match there). */
function readBlock(text: string, label: string): string[] | undefined {
  const match = new RegExp(`^${label}:[\\t ]*\\n([\\s\\S]*?)(?:\\n[\\t ]*\\n|(?![\\s\\S]))`, 'm').exec(text);
  if (!match) return undefined;
  return (match[1] ?? '').split('\n').map((line) => line.trimEnd()).filter((line) => line.trim());
}

function setOnce<K extends keyof PromptFacts>(facts: PromptFacts, key: K, value: PromptFacts[K] | undefined): void {
  if (facts[key] === undefined && value !== undefined) facts[key] = value;
}

type EnvironmentFacts = Omit<PromptFacts, 'instructions' | 'date'>;

function readEnvironment(text: string): Readonly<EnvironmentFacts> {
  const lines = readLines(text);
  const status = readBlock(text, 'Status');
  const commits = readBlock(text, 'Recent commits');
  // Frozen, lists too: the same object serves every later request with this text.
  const facts: EnvironmentFacts = {
    workingDirectory: lines.workingDirectory,
    platform: lines.platform,
    shell: lines.shell,
    osVersion: lines.osVersion,
    isGitRepo: lines.isGitRepo === undefined ? undefined : /^(yes|true)$/i.test(lines.isGitRepo),
    gitBranch: lines.gitBranch,
    mainBranch: lines.mainBranch,
    gitChanges: status && Object.freeze(status.filter((line) => !/^\(clean\)$/i.test(line.trim()))),
    recentCommits: commits && Object.freeze(commits),
  };
  return Object.freeze(facts);
}

// The system prompt (some 25,000 characters) and the context reminders come
// again with every request of a conversation: each text is read once, in a
// cache the translator owns (prompt-caches.ts).
export type FactsCache = TextCache<Readonly<EnvironmentFacts>>;

/** Environment and git facts from any text that carries them (Claude Code's system prompt included); facts already known stay. */
export function readEnvironmentFacts(text: string, facts: PromptFacts, cache: FactsCache): void {
  const found = cache.getOrSet(text, readEnvironment);
  for (const key of Object.keys(found) as Array<keyof EnvironmentFacts>) setOnce(facts, key, found[key]);
}

function readDate(text: string): string | undefined {
  const iso = /\d{4}-\d{2}-\d{2}/.exec(text);
  if (iso) return iso[0];
  return /date is ([^\n]+?)\.?$/im.exec(text)?.[1];
}

/** Adds one classified fact section to the facts; duplicates of instruction files are skipped. */
export function addFactSection(kind: FactKind, text: string, facts: PromptFacts, cache: FactsCache): void {
  switch (kind) {
    case 'instructions':
      for (const file of readInstructionFiles(text)) {
        if (!hasInstructionFile(facts, file)) facts.instructions.push(file);
      }
      return;
    case 'environment':
    case 'git-status':
      readEnvironmentFacts(text, facts, cache);
      return;
    case 'date':
      setOnce(facts, 'date', readDate(text));
      return;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown fact kind ${String(unreachable)}`);
    }
  }
}

export function hasInstructionFile(facts: PromptFacts, file: InstructionFile): boolean {
  return facts.instructions.some((known) => known.text === file.text);
}
