import type { AnthropicMessage, ContentBlock, ToolResultBlock, ToolUseBlock } from '../../../lib/wire/anthropic.js';
import type { OpenAiContentPart, OpenAiMessage, OpenAiToolCall } from '../../../lib/wire/openai.js';
import type { ToolMode } from '../local-prompt.js';
import type { ModelTurn } from '../replay/model-turn.js';

// Anthropic conversation → OpenAI messages (PROTOCOL.md B2 "Mapping to mlx").
// Pure; everything dropped or rewritten on purpose is named in `warnings`.

export interface MessageConversionOptions {
  toolMode: ToolMode;
  /** In xml mode, how an earlier tool_use is written into the assistant's text. */
  renderToolUse?: (block: ToolUseBlock) => string;
  /** The backend accepts image parts (config backend.vision). */
  vision: boolean;
  /** What the local model itself wrote for an assistant message, when it is known (services/translator/replay). */
  findModelTurn?: (blocks: readonly ContentBlock[]) => ModelTurn | undefined;
}

/**
 * An answer the local model wrote, sent back as it wrote it: its content
 * verbatim (text tool calls included) and the calls the server parsed with
 * their own argument strings, so the rendered prompt is byte-identical to
 * what the model's prompt cache holds (PROTOCOL.md D3).
 */
function replayModelTurn(turn: ModelTurn): OpenAiMessage {
  const assistant: OpenAiMessage = { role: 'assistant', content: turn.content.length || !turn.toolCalls.length ? turn.content : null };
  if (turn.toolCalls.length) {
    assistant.tool_calls = turn.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  return assistant;
}

interface Collected {
  /** Tool results of this turn, sent before its text (A3: role "tool" messages in order). */
  toolMessages: OpenAiMessage[];
  parts: OpenAiContentPart[];
  toolCalls: OpenAiToolCall[];
}

type UnknownBlock = { type: string; [key: string]: unknown };

export function describeLeftOut(kind: string, title?: unknown): string {
  const named = typeof title === 'string' && title.length > 0 ? ` "${title}"` : '';
  return `[${kind}${named} left out: the local model cannot read it]`;
}

function convertImage(block: UnknownBlock, vision: boolean): OpenAiContentPart {
  const source = (block.source ?? {}) as Record<string, unknown>;
  if (vision && source.type === 'base64' && typeof source.data === 'string') {
    return { type: 'image_url', image_url: { url: `data:${String(source.media_type)};base64,${source.data}` } };
  }
  if (vision && source.type === 'url' && typeof source.url === 'string') return { type: 'image_url', image_url: { url: source.url } };
  return { type: 'text', text: describeLeftOut('image') };
}

/** Plain-text documents are text; PDFs and files are not readable here. */
function convertDocument(block: UnknownBlock): string {
  const source = (block.source ?? {}) as Record<string, unknown>;
  if (source.type === 'text' && typeof source.data === 'string') {
    return typeof block.title === 'string' ? `${block.title}\n\n${source.data}` : source.data;
  }
  if (source.type === 'content' && Array.isArray(source.content)) {
    return source.content.map((part: UnknownBlock) => (typeof part.text === 'string' ? part.text : describeLeftOut(part.type))).join('\n\n');
  }
  return describeLeftOut('document', block.title);
}

/** Tool results reach the server as one string (A3); nested text is flattened. */
export function flattenToolResult(block: ToolResultBlock, warnings: string[]): string {
  const content = block.content;
  let text: string;
  if (content === undefined) text = '';
  else if (typeof content === 'string') text = content;
  else {
    text = content
      .map((part) => {
        const item = part as UnknownBlock;
        if (item.type === 'text' && typeof item.text === 'string') return item.text;
        if (item.type === 'image') {
          warnings.push('image in a tool result replaced by a note');
          return describeLeftOut('image');
        }
        if (item.type === 'document') return convertDocument(item);
        // tool_reference, search_result, and whatever comes next: kept as JSON, never lost.
        return JSON.stringify(item);
      })
      .join('\n\n');
  }
  return block.is_error ? `Error: ${text}` : text;
}

function collectBlock(block: ContentBlock, role: 'user' | 'assistant', options: MessageConversionOptions, into: Collected, warnings: string[]): void {
  switch (block.type) {
    case 'text':
      into.parts.push({ type: 'text', text: block.text });
      return;
    case 'image':
      if (!options.vision) warnings.push('image replaced by a note (backend.vision is false)');
      into.parts.push(convertImage(block, options.vision));
      return;
    case 'document':
      into.parts.push({ type: 'text', text: convertDocument(block) });
      return;
    case 'tool_use':
      if (role !== 'assistant') {
        warnings.push('tool_use in a user message kept as text');
        into.parts.push({ type: 'text', text: JSON.stringify(block) });
      } else if (options.toolMode === 'xml' && options.renderToolUse) {
        into.parts.push({ type: 'text', text: options.renderToolUse(block) });
      } else {
        // A JSON string, never an object, and "{}" rather than "" (A3).
        into.toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
      }
      return;
    case 'tool_result': {
      const text = flattenToolResult(block, warnings);
      if (options.toolMode === 'xml') {
        into.parts.push({ type: 'text', text: `<tool_result tool_use_id="${block.tool_use_id}">\n${text}\n</tool_result>` });
      } else {
        into.toolMessages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: text });
      }
      return;
    }
    case 'thinking':
    case 'redacted_thinking':
      warnings.push(`${block.type} block dropped`);
      return;
    default: {
      const exhaustive: never = block;
      const unknown = exhaustive as UnknownBlock;
      // New block types from future Claude Code versions: keep their text, or keep them as JSON.
      warnings.push(`unknown block type ${unknown.type} kept as text`);
      into.parts.push({ type: 'text', text: typeof unknown.text === 'string' ? unknown.text : JSON.stringify(unknown) });
    }
  }
}

function joinText(parts: OpenAiContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n');
}

/** Consecutive messages of the same role become one: chat templates expect alternation. */
export function mergeSameRoleMessages(messages: AnthropicMessage[]): AnthropicMessage[] {
  const merged: AnthropicMessage[] = [];
  const toBlocks = (content: AnthropicMessage['content']): ContentBlock[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : content);
  for (const message of messages) {
    const last = merged.at(-1);
    if (last && last.role === message.role) last.content = [...toBlocks(last.content), ...toBlocks(message.content)];
    else merged.push({ role: message.role, content: message.content });
  }
  return merged;
}

export function convertAnthropicMessages(
  system: string,
  messages: AnthropicMessage[],
  options: MessageConversionOptions,
): { messages: OpenAiMessage[]; warnings: string[] } {
  const warnings: string[] = [];
  const systemParts = system.length ? [system] : [];
  const converted: OpenAiMessage[] = [];
  for (const message of mergeSameRoleMessages(messages)) {
    const into: Collected = { toolMessages: [], parts: [], toolCalls: [] };
    const blocks: ContentBlock[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    switch (message.role) {
      case 'system':
        // The preparer folds these; one that slips through is folded here, for the same reason.
        systemParts.push(joinText(blocks.flatMap((block) => (block.type === 'text' ? [{ type: 'text' as const, text: block.text }] : []))));
        continue;
      case 'user':
        for (const block of blocks) collectBlock(block, 'user', options, into, warnings);
        converted.push(...into.toolMessages);
        if (into.parts.length) {
          const hasImage = into.parts.some((part) => part.type === 'image_url');
          converted.push({ role: 'user', content: hasImage ? into.parts : joinText(into.parts) });
        }
        continue;
      case 'assistant': {
        const turn = options.findModelTurn?.(blocks);
        if (turn) {
          converted.push(replayModelTurn(turn));
          continue;
        }
        for (const block of blocks) collectBlock(block, 'assistant', options, into, warnings);
        const text = joinText(into.parts);
        const assistant: OpenAiMessage = { role: 'assistant', content: text.length || !into.toolCalls.length ? text : null };
        if (into.toolCalls.length) assistant.tool_calls = into.toolCalls;
        converted.push(assistant);
        continue;
      }
      default: {
        const exhaustive: never = message.role;
        throw new TypeError(`unknown message role ${String(exhaustive)}`);
      }
    }
  }
  const systemText = systemParts.join('\n\n');
  return { messages: systemText.length ? [{ role: 'system', content: systemText }, ...converted] : converted, warnings: summarizeWarnings(warnings) };
}

/** "thinking block dropped (×3)" instead of three lines. */
export function summarizeWarnings(warnings: string[]): string[] {
  const counts = new Map<string, number>();
  for (const warning of warnings) counts.set(warning, (counts.get(warning) ?? 0) + 1);
  return [...counts].map(([warning, count]) => (count > 1 ? `${warning} (×${count})` : warning));
}
