import type { AnthropicTool } from '../../../lib/wire/anthropic.js';

// Claude Code tools that only make sense inside Claude Code's own machinery
// (sub-agents, skills, deferred loading, plan mode, scheduling, teams) and
// that a local model cannot use to make progress on the user's task.
// TodoWrite and AskUserQuestion are left out too: both exist for Claude Code's
// UI (a progress list, a multiple-choice dialog), their nested schemas cost a
// small model hundreds of prompt characters, and a local model does better
// writing its plan or its question as plain text. `translator.tools.allow`
// brings any of them back.
export const DEFAULT_DENIED_TOOLS: readonly string[] = [
  'Agent', 'Task', 'TaskOutput', 'TaskStop', 'TaskCreate', 'TaskGet', 'TaskUpdate', 'TaskList',
  'BashOutput', 'KillShell', 'KillBash',
  'Skill', 'SlashCommand', 'ToolSearch', 'DeferredToolPlaceholder',
  'Workflow', 'ScheduleWakeup', 'CronCreate', 'CronDelete', 'CronList', 'Monitor',
  'ListAgents', 'SendMessage', 'ReportFindings', 'TeamCreate', 'TeamDelete',
  'EnterPlanMode', 'ExitPlanMode', 'EnterWorktree', 'ExitWorktree',
  'TodoWrite', 'AskUserQuestion',
];

// A small (≤ 8B) model picks tools worse the more it is offered, and every
// definition is prefilled again on a cache miss: it gets the core coding
// tools. Notebooks and the web are rare in a coding turn, and 7B models tend
// to invent URLs for WebFetch. `translator.tools.allow` brings them back.
export const SMALL_MODEL_LEFT_OUT: readonly string[] = ['NotebookEdit', 'WebFetch', 'WebSearch'];

export interface ToolLists {
  allow: readonly string[];
  deny: readonly string[];
}

export interface ToolSelection {
  offered: AnthropicTool[];
  /** Names of the tools Claude Code offered that the local model does not get. */
  leftOut: string[];
}

/** `name` matches case-insensitively; a pattern ending in `*` matches a prefix (e.g. `mcp__github__*`). */
function matchesAny(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return patterns.some((pattern) => {
    const wanted = pattern.toLowerCase();
    return wanted.endsWith('*') ? lower.startsWith(wanted.slice(0, -1)) : lower === wanted;
  });
}

/**
 * The tool set comes from the request's own `tools` (DESIGN.md: driven by the
 * request's structure). Allow overrides deny; a tool with `defer_loading`
 * has no usable schema yet (PROTOCOL.md C: loaded through ToolSearch) and is
 * left out unless allowed.
 */
export function selectTools(tools: readonly AnthropicTool[] | undefined, lists: ToolLists, sizeLeftOut: readonly string[] = []): ToolSelection {
  const offered: AnthropicTool[] = [];
  const leftOut: string[] = [];
  for (const tool of tools ?? []) {
    const allowed = matchesAny(tool.name, lists.allow);
    const denied =
      matchesAny(tool.name, DEFAULT_DENIED_TOOLS) || matchesAny(tool.name, sizeLeftOut) || matchesAny(tool.name, lists.deny) || tool.defer_loading === true;
    if (allowed || !denied) offered.push(tool);
    else leftOut.push(tool.name);
  }
  return { offered, leftOut };
}
