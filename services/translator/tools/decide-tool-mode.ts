import type { ToolMode } from '../local-prompt.js';

/**
 * How the model writes a call in its text (xml mode), and how earlier calls
 * are rendered back to it:
 * - `json`: Hermes/Qwen2.5 `<tool_call>{"name": …, "arguments": {…}}</tool_call>`;
 * - `function-xml`: Qwen3-Coder `<tool_call><function=NAME><parameter=KEY>…`.
 */
export type ToolCallFormat = 'json' | 'function-xml';

const FUNCTION_XML_FAMILIES = /qwen3[-_.]?coder/i;
const NATIVE_FAMILIES = /qwen3/i;

/** The format the model was trained to write (PROTOCOL.md A4), so it needs no teaching. */
export function decideToolCallFormat(model: string): ToolCallFormat {
  return FUNCTION_XML_FAMILIES.test(model) ? 'function-xml' : 'json';
}

/**
 * `auto` picks by model family:
 * - Qwen3 and Qwen3-Coder (Next included) → native. mlx-lm detects their
 *   parsers from the chat template (qwen3_coder XML, json_tools) and they
 *   write well-formed calls, so the template places the definitions where
 *   the model was trained to find them.
 * - Qwen2.5 / Qwen2.5-Coder and every unknown family → xml. Qwen2.5-Coder
 *   often writes a call as a bare JSON object or in a ```json fence, which
 *   mlx-lm's json_tools parser passes through as text, and mlx-lm drops a
 *   call it cannot parse (A4); reading the text ourselves catches all of
 *   these and never loses a call. A model without a parser only works in xml.
 * mlx-lm picks its parser from the chat template, not from the request, so
 * in xml mode it may still turn a well-formed <tool_call> into `tool_calls`:
 * the stream converter passes those through createToolCallResolver too.
 */
export function decideToolMode(configured: 'auto' | ToolMode, model: string): ToolMode {
  if (configured !== 'auto') return configured;
  return NATIVE_FAMILIES.test(model) ? 'native' : 'xml';
}
