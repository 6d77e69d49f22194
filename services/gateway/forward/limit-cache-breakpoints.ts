import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';

// Anthropic refuses a request with more than 4 cache_control breakpoints
// (PROTOCOL.md D2). Counted where they can be: tools, system blocks, message
// blocks and the blocks inside a tool_result, in the order Anthropic's cache
// prefix reads them (tools, system, messages).

export const MAX_CACHE_BREAKPOINTS = 4;

type Holder = { cache_control?: unknown; [key: string]: unknown };

function hasBreakpoint(value: unknown): value is Holder {
  return typeof value === 'object' && value !== null && (value as Holder).cache_control !== undefined;
}

/** The objects that carry cache_control, in prefix order. */
function findBreakpoints(body: AnthropicMessagesRequest): Holder[] {
  const found: Holder[] = [];
  for (const tool of body.tools ?? []) if (hasBreakpoint(tool)) found.push(tool);
  if (Array.isArray(body.system)) for (const block of body.system) if (hasBreakpoint(block)) found.push(block);
  for (const message of body.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (hasBreakpoint(block)) found.push(block);
      if (block.type === 'tool_result' && Array.isArray(block.content)) for (const inner of block.content) if (hasBreakpoint(inner)) found.push(inner);
    }
  }
  return found;
}

export function countCacheBreakpoints(body: AnthropicMessagesRequest): number {
  return findBreakpoints(body).length;
}

/**
 * The body with at most 4 breakpoints: the earliest extra ones go, since a
 * later breakpoint caches the longer prefix. The body is copied before any
 * change; an unchanged body is returned as it came.
 */
export function limitCacheBreakpoints(body: AnthropicMessagesRequest): { body: AnthropicMessagesRequest; removed: number } {
  const excess = countCacheBreakpoints(body) - MAX_CACHE_BREAKPOINTS;
  if (excess <= 0) return { body, removed: 0 };
  const copy = structuredClone(body);
  for (const holder of findBreakpoints(copy).slice(0, excess)) delete holder.cache_control;
  return { body: copy, removed: excess };
}
