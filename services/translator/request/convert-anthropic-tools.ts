import type { AnthropicTool } from '../../../lib/wire/anthropic.js';
import type { OpenAiTool } from '../../../lib/wire/openai.js';

/**
 * Anthropic tool definitions as OpenAI functions, unchanged otherwise.
 * Tools without an input_schema (Anthropic server tools such as web search)
 * cannot run locally; they are returned as skipped, by name.
 */
export function convertAnthropicTools(tools: AnthropicTool[]): { tools: OpenAiTool[]; skipped: string[] } {
  const converted: OpenAiTool[] = [];
  const skipped: string[] = [];
  for (const tool of tools) {
    if (!tool.input_schema) {
      skipped.push(tool.name);
      continue;
    }
    const fn: OpenAiTool['function'] = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) fn.description = tool.description;
    converted.push({ type: 'function', function: fn });
  }
  return { tools: converted, skipped };
}
