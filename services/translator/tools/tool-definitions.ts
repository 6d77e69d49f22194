import type { AnthropicTool } from '../../../lib/wire/anthropic.js';
import type { OpenAiTool } from '../../../lib/wire/openai.js';
import { compactSchema, describeSchemaType, pickParameters, summarizeDescription } from './compact-tool-schema.js';

/** How much of each description a model of a given size gets (characters; 0 = none). */
export interface DefinitionDetail {
  toolDescriptionChars: number;
  parameterDescriptionChars: number;
  /** Optional top-level parameters shown per tool (required ones always are). */
  maxOptionalParameters: number;
}

// One-liners for Claude Code's core tools, whose names have been stable across
// releases. Their own first sentences are written for Claude ("- Fast file
// pattern matching tool that works with any codebase size") and say less
// about how to call them. Any other tool (MCP included) gets the first
// sentence of its own description.
const ONE_LINE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Bash: 'Run a shell command in the working directory.',
  Read: 'Read a file (absolute path); offset and limit select lines.',
  Write: 'Create or overwrite a file with the given content.',
  Edit: 'Replace old_string with new_string in a file you have read; old_string must match exactly.',
  Glob: 'List files matching a glob pattern such as **/*.ts.',
  Grep: 'Search file contents for a regular expression (ripgrep).',
  NotebookEdit: 'Replace, insert or delete a cell of a Jupyter notebook.',
  WebFetch: 'Fetch a URL and answer a prompt about its content.',
  WebSearch: 'Search the web.',
};

export function describeTool(tool: AnthropicTool, detail: DefinitionDetail): string {
  return ONE_LINE_DESCRIPTIONS[tool.name] ?? summarizeDescription(tool.description ?? '', detail.toolDescriptionChars);
}

/** Compact OpenAI `tools` for native mode (PROTOCOL.md A3: passed as-is to the chat template). */
export function createOpenAiTools(tools: readonly AnthropicTool[], detail: DefinitionDetail): OpenAiTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: describeTool(tool, detail),
      parameters: { type: 'object', ...compactSchema(pickParameters(tool.input_schema, detail.maxOptionalParameters), detail.parameterDescriptionChars) },
    },
  }));
}

function describeParameters(tool: AnthropicTool, detail: DefinitionDetail): string {
  const compact = compactSchema(pickParameters(tool.input_schema, detail.maxOptionalParameters), detail.parameterDescriptionChars);
  const properties = (compact.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((compact.required ?? []) as string[]);
  return Object.entries(properties)
    .map(([name, property]) => {
      const flags = required.has(name) ? ', required' : '';
      const note = typeof property.description === 'string' ? `: ${property.description}` : '';
      return `${name} (${describeSchemaType(property)}${flags})${note}`;
    })
    .join('; ');
}

/** The definitions block injected into the system prompt in xml mode: one line per tool. */
export function renderToolList(tools: readonly AnthropicTool[], detail: DefinitionDetail): string {
  const lines = tools.map((tool) => {
    const parameters = describeParameters(tool, detail);
    return `<tool name="${tool.name}">${describeTool(tool, detail)}${parameters ? ` Parameters: ${parameters}` : ''}</tool>`;
  });
  return ['<tools>', ...lines, '</tools>'].join('\n');
}
