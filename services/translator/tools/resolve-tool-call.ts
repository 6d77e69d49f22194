import type { AnthropicTool } from '../../../lib/wire/anthropic.js';
import { coerceObjectProperties } from './coerce-to-schema.js';

export type ResolvedToolCall =
  | { ok: true; name: string; input: Record<string, unknown> }
  | { ok: false; name: string; problem: string };

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

// Names local models use for Claude Code's tools (from their training on other
// agents' tool sets): `write_file` and `Write` are the same call. Keys are
// normalized (lower case, letters and digits only).
const TOOL_ALIASES: Readonly<Record<string, string>> = {
  readfile: 'Read', viewfile: 'Read', openfile: 'Read', cat: 'Read',
  writefile: 'Write', createfile: 'Write', writetofile: 'Write', savefile: 'Write',
  editfile: 'Edit', replaceinfile: 'Edit', strreplace: 'Edit', replace: 'Edit', modifyfile: 'Edit',
  runcommand: 'Bash', executecommand: 'Bash', shell: 'Bash', runshellcommand: 'Bash', terminal: 'Bash', execute: 'Bash', exec: 'Bash',
  findfiles: 'Glob', listfiles: 'Glob', globfiles: 'Glob', filesearch: 'Glob',
  search: 'Grep', searchfiles: 'Grep', grepsearch: 'Grep', searchcode: 'Grep',
  fetch: 'WebFetch', fetchurl: 'WebFetch', websearchtool: 'WebSearch',
};

// Parameter names models use for the same fields; applied only when the tool
// has the target parameter and the call did not already set it.
const PARAMETER_ALIASES: Readonly<Record<string, string>> = {
  path: 'file_path', filepath: 'file_path', filename: 'file_path', file: 'file_path',
  cmd: 'command', text: 'content', contents: 'content',
  old_str: 'old_string', new_str: 'new_string', old: 'old_string', new: 'new_string',
};

function findTool(tools: readonly AnthropicTool[], name: string): AnthropicTool | undefined {
  const wanted = normalizeName(name);
  const byName = tools.find((tool) => normalizeName(tool.name) === wanted);
  if (byName) return byName;
  const alias = TOOL_ALIASES[wanted];
  if (alias) return tools.find((tool) => tool.name === alias);
  // An MCP tool called by its own short name: mcp__server__tool → tool.
  return tools.find((tool) => tool.name.startsWith('mcp__') && normalizeName(tool.name.split('__').pop() ?? '') === wanted);
}

function readInput(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'string') {
    try {
      return readInput(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }
  return typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

function renameAliasedParameters(input: Record<string, unknown>, properties: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const target = PARAMETER_ALIASES[key];
    const useTarget = !(key in properties) && target !== undefined && target in properties && !(target in input);
    result[useTarget ? target : key] = value;
  }
  return result;
}

/**
 * Maps a call the model wrote to one of the offered tools: the real name
 * (case-insensitive, aliases), the input coerced to the tool's schema, and
 * the required parameters checked. A call that fails is reported, never
 * swallowed: the caller returns it to Claude Code as text with the problem.
 * Also usable for native-mode `tool_calls` (arguments given as a JSON string).
 */
export function createToolCallResolver(tools: readonly AnthropicTool[]): (name: string, rawInput: unknown) => ResolvedToolCall {
  return (name, rawInput) => {
    const tool = findTool(tools, name);
    if (!tool) return { ok: false, name, problem: `no tool named ${name} is available` };
    const input = readInput(rawInput);
    if (!input) return { ok: false, name: tool.name, problem: 'its arguments are not a JSON object' };
    const properties = (tool.input_schema.properties ?? {}) as Record<string, unknown>;
    const coerced = coerceObjectProperties(renameAliasedParameters(input, properties), properties);
    const missing = (tool.input_schema.required ?? []).filter((key) => coerced[key] === undefined);
    if (missing.length > 0) {
      return { ok: false, name: tool.name, problem: `missing required parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
    }
    return { ok: true, name: tool.name, input: coerced };
  };
}
