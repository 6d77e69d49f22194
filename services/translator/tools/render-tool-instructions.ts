import type { AnthropicTool } from '../../../lib/wire/anthropic.js';
import { isSameJson } from '../../../lib/wire/same-json.js';
import type { ToolMode } from '../local-prompt.js';
import type { ToolCallFormat } from './decide-tool-mode.js';
import { renderToolUse } from './render-tool-use.js';
import { renderToolList, type DefinitionDetail } from './tool-definitions.js';

export interface ToolInstructionsInput {
  mode: ToolMode;
  format: ToolCallFormat;
  tools: readonly AnthropicTool[];
  detail: DefinitionDetail;
}

/** An example call with the tool's required parameters, for the format the model should write. */
function renderExampleCall(tools: readonly AnthropicTool[], format: ToolCallFormat): string {
  const example = tools.find((tool) => tool.name === 'Read') ?? tools[0];
  if (!example) return '';
  const required = example.input_schema.required ?? [];
  const input = Object.fromEntries(required.map((name) => [name, name === 'file_path' ? '/absolute/path' : '…']));
  return renderToolUse({ name: example.name, input }, format);
}

// 2.1.3xx defers Glob and Grep behind ToolSearch (PROTOCOL.md C); without them
// a small model otherwise tries to call tools it was never given.
function renderSearchNote(tools: readonly AnthropicTool[]): string | undefined {
  const names = new Set(tools.map((tool) => tool.name));
  if (names.has('Glob') || names.has('Grep') || !names.has('Bash')) return undefined;
  return 'To find files or search their contents, use Bash (rg, grep -rn, find).';
}

/**
 * The part of the system prompt about tools. In xml mode it holds the
 * definitions and the call format; in native mode the chat template adds the
 * definitions itself (PROTOCOL.md A3), so only notes remain.
 */
export function renderToolInstructions(input: ToolInstructionsInput): string {
  if (input.tools.length === 0) return '';
  const searchNote = renderSearchNote(input.tools);
  switch (input.mode) {
    case 'native':
      return searchNote ?? '';
    case 'xml':
      return [
        '# Tools',
        'To use a tool, write a call like this (several calls in one reply are fine); the results come back in the next message:',
        renderExampleCall(input.tools, input.format),
        ...(searchNote ? [searchNote] : []),
        renderToolList(input.tools, input.detail),
      ].join('\n');
    default: {
      const unreachable: never = input.mode;
      throw new Error(`unknown tool mode ${String(unreachable)}`);
    }
  }
}

// Claude Code sends the same tool definitions with every request of a session
// (each sub-agent its own set). Comparing them with the ones rendered before
// costs a fraction of rendering them again, so the last few renders are kept
// (by the translator, prompt-caches.ts) and found by comparison.
const RECENT_RENDERS = 8;

function isSameInput(a: ToolInstructionsInput, b: ToolInstructionsInput): boolean {
  return a.mode === b.mode && a.format === b.format && isSameJson(a.detail, b.detail) && a.tools.length === b.tools.length && isSameJson(a.tools, b.tools);
}

export interface ToolInstructionRenders {
  /** renderToolInstructions, the same text, from the recent renders when the input is equal to one of theirs. */
  render(input: ToolInstructionsInput): string;
}

export function createToolInstructionRenders(): ToolInstructionRenders {
  const recentRenders: Array<{ input: ToolInstructionsInput; text: string }> = [];
  return {
    render(input) {
      const index = recentRenders.findIndex((entry) => isSameInput(entry.input, input));
      if (index !== -1) {
        const [entry] = recentRenders.splice(index, 1);
        recentRenders.unshift(entry!);
        return entry!.text;
      }
      const text = renderToolInstructions(input);
      recentRenders.unshift({ input, text });
      if (recentRenders.length > RECENT_RENDERS) recentRenders.pop();
      return text;
    },
  };
}
