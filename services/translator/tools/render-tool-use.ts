import type { ToolUseBlock } from '../../../lib/wire/anthropic.js';
import type { ToolCallFormat } from './decide-tool-mode.js';

/**
 * An earlier tool_use (the local model's own or one Claude made in an
 * escalated turn) written in exactly the format the model is asked to
 * produce, so a conversation moves between Claude and the local model and the
 * model keeps seeing one consistent way to call tools.
 */
export function renderToolUse(block: Pick<ToolUseBlock, 'name' | 'input'>, format: ToolCallFormat): string {
  switch (format) {
    case 'json':
      return `<tool_call>\n${JSON.stringify({ name: block.name, arguments: block.input ?? {} })}\n</tool_call>`;
    case 'function-xml': {
      // One newline after <parameter=…> and one before </parameter> belong to
      // the format (the extractor removes exactly those), so a string value
      // round-trips byte-exact.
      const parameters = Object.entries(block.input ?? {}).map(
        ([key, value]) => `<parameter=${key}>\n${typeof value === 'string' ? value : JSON.stringify(value)}\n</parameter>\n`,
      );
      return `<tool_call>\n<function=${block.name}>\n${parameters.join('')}</function>\n</tool_call>`;
    }
    default: {
      const unreachable: never = format;
      throw new Error(`unknown tool call format ${String(unreachable)}`);
    }
  }
}
