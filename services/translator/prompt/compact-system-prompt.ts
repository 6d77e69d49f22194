import type { ModelSize } from '../../../lib/config/schema.js';
import type { PromptFacts } from './read-facts.js';

export type CompactSize = Exclude<ModelSize, 'large'>;

// Claude Code's own prompt (13K characters in 2.1.50) replaced by what a
// small or medium model needs to act as a coding agent: how to work, the
// environment facts, and the user's instructions. Nothing here changes from
// one request of a conversation to the next (prefix stability).
const GUIDANCE: Readonly<Record<CompactSize, string[]>> = {
  small: [
    'You are a coding assistant working in the user\'s project from their terminal. Answer briefly.',
    'Use the tools to read, search and change files and to run commands; never guess what a file contains. Read a file before you edit it. Use absolute paths.',
  ],
  medium: [
    'You are a coding assistant working in the user\'s project from their terminal. Answer briefly and in Markdown.',
    'Use the tools to read, search and change files and to run commands; never guess what a file contains. Read a file before you edit it. Use absolute paths.',
    'Work in small steps: look, change, then check (run the tests or the command). Change only what was asked and keep the existing style. Never run destructive commands (rm -rf, git reset --hard, force pushes) unless asked.',
    'When you are done, say in one or two sentences what you changed.',
  ],
};

const GUIDANCE_WITHOUT_TOOLS = 'You are a coding assistant. Answer briefly and precisely.';

const LIMITS: Readonly<Record<CompactSize, { changes: number; commits: number }>> = {
  small: { changes: 5, commits: 0 },
  medium: { changes: 20, commits: 5 },
};

function renderGitLine(facts: PromptFacts, size: CompactSize): string | undefined {
  if (!facts.gitBranch && facts.isGitRepo === undefined) return undefined;
  if (!facts.gitBranch) return `- Git repository: ${facts.isGitRepo ? 'yes' : 'no'}`;
  const main = facts.mainBranch && facts.mainBranch !== facts.gitBranch ? ` (main branch: ${facts.mainBranch})` : '';
  const changes = facts.gitChanges ?? [];
  if (changes.length === 0) return `- Git branch: ${facts.gitBranch}${main}, no uncommitted changes`;
  const limit = LIMITS[size].changes;
  const more = changes.length > limit ? `\n  … and ${changes.length - limit} more` : '';
  return `- Git branch: ${facts.gitBranch}${main}, uncommitted changes:\n${changes.slice(0, limit).map((line) => `  ${line.trim()}`).join('\n')}${more}`;
}

function renderEnvironment(facts: PromptFacts, size: CompactSize): string | undefined {
  const platform = [facts.platform, facts.shell ? `shell ${facts.shell}` : undefined].filter(Boolean).join(', ');
  const commits = LIMITS[size].commits > 0 && facts.recentCommits?.length
    ? `- Recent commits:\n${facts.recentCommits.slice(0, LIMITS[size].commits).map((line) => `  ${line}`).join('\n')}`
    : undefined;
  const lines = [
    facts.workingDirectory ? `- Working directory: ${facts.workingDirectory}` : undefined,
    platform ? `- Platform: ${platform}` : undefined,
    size === 'medium' && facts.osVersion ? `- OS: ${facts.osVersion}` : undefined,
    renderGitLine(facts, size),
    commits,
    facts.date ? `- Date: ${facts.date}` : undefined,
  ].filter((line): line is string => line !== undefined);
  return lines.length > 0 ? `Environment:\n${lines.join('\n')}` : undefined;
}

function renderInstructions(facts: PromptFacts): string[] {
  return facts.instructions.map((file) => `Instructions from ${file.source} (follow them):\n${file.text}`);
}

/** The compact system prompt for a small or medium model: guidance, environment, the user's instructions, tools. */
export function renderCompactSystemPrompt(size: CompactSize, facts: PromptFacts, tools: { offered: boolean; instructions: string }): string {
  const guidance = tools.offered ? GUIDANCE[size].join('\n') : GUIDANCE_WITHOUT_TOOLS;
  return [guidance, renderEnvironment(facts, size), ...renderInstructions(facts), tools.instructions]
    .filter((part): part is string => Boolean(part))
    .join('\n\n');
}
