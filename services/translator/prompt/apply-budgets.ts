import type { AnthropicMessage, ContentBlock, ToolResultBlock } from '../../../lib/wire/anthropic.js';
import type { PromptBudgets } from './budgets.js';
import { estimateMessageTokens, readMessageText, readToolResultText } from '../../../lib/tokens/measure-request.js';

export interface BudgetOutcome {
  messages: AnthropicMessage[];
  dropped: string[];
  overContextLimit: boolean;
}

/** A shortened tool result keeps at least this much: less is rarely still useful. */
const MIN_KEPT_CHARS = 1200;
const HEAD_SHARE = 0.6;

function cutMiddle(text: string, keepChars: number): string {
  const head = Math.floor(keepChars * HEAD_SHARE);
  const tail = keepChars - head;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n\n[… ${cut} of ${text.length} characters cut here by mallex to fit the local model's budget …]\n\n${text.slice(text.length - tail)}`;
}

/** The largest per-result size so that all results together fit in `allowed` characters (water-filling). */
function findCap(sizes: number[], allowed: number): number {
  const sorted = [...sizes].sort((a, b) => a - b);
  let remaining = allowed;
  for (let index = 0; index < sorted.length; index += 1) {
    const share = Math.floor(remaining / (sorted.length - index));
    const size = sorted[index] ?? 0;
    if (size > share) return share;
    remaining -= size;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Over prefillBudget: the tool results of a message are shortened, largest
 * first, keeping head and tail and saying what was cut. The cut depends only
 * on the message itself, so the message renders the same when a later request
 * carries it as history (prefix stability).
 */
function shortenToolResults(message: AnthropicMessage, prefillBudget: number, toolNames: ReadonlyMap<string, string>, dropped: Set<string>): AnthropicMessage {
  if (typeof message.content === 'string' || !message.content.some((block) => block.type === 'tool_result')) return message;
  if (estimateMessageTokens(message) <= prefillBudget) return message;
  const results = message.content.filter((block): block is ToolResultBlock => block.type === 'tool_result');
  const sizes = results.map((block) => readToolResultText(block.content).length);
  const otherChars = readMessageText({ role: message.role, content: message.content.filter((block) => block.type !== 'tool_result') }).length;
  // estimateTokens counts 3.5 characters a token (lib/tokens/estimate-tokens.ts).
  const cap = Math.max(MIN_KEPT_CHARS, findCap(sizes, Math.max(0, prefillBudget * 3.5 - otherChars)));
  const content: ContentBlock[] = message.content.map((block) => {
    if (block.type !== 'tool_result') return block;
    const text = readToolResultText(block.content);
    if (text.length <= cap) return block;
    dropped.add(`middle of a ${toolNames.get(block.tool_use_id) ?? 'tool'} result`);
    return { ...block, content: cutMiddle(text, cap) };
  });
  return { ...message, content };
}

/** Index of the last message of the pinned start: everything up to and including the first user message. */
function findPinnedEnd(messages: readonly AnthropicMessage[]): number {
  const firstUser = messages.findIndex((message) => message.role === 'user');
  return firstUser < 0 ? messages.length - 1 : firstUser;
}

/** Turns after the pinned start, each opened by an assistant message with the user messages that answer it. */
function groupTurns(messages: readonly AnthropicMessage[], from: number): AnthropicMessage[][] {
  const groups: AnthropicMessage[][] = [];
  for (const message of messages.slice(from)) {
    const current = groups.at(-1);
    if (message.role === 'assistant' || !current) groups.push([message]);
    else current.push(message);
  }
  return groups;
}

function appendNote(message: AnthropicMessage, note: string): AnthropicMessage {
  const blocks: ContentBlock[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
  return { ...message, content: [...blocks, { type: 'text', text: note }] };
}

/**
 * Over contextLimit: the oldest whole turns after the first user prompt go,
 * in steps of half the limit. The cut point is a multiple of the step counted
 * from the start of the history, so it stays where it is while the
 * conversation grows by less than a step: the prompt prefix changes rarely.
 */
function dropOldTurns(messages: AnthropicMessage[], budgets: PromptBudgets, fixedTokens: number, dropped: Set<string>): BudgetOutcome {
  const total = fixedTokens + messages.reduce((sum, message) => sum + estimateMessageTokens(message), 0);
  if (total <= budgets.contextLimit) return { messages, dropped: [...dropped], overContextLimit: false };
  const pinnedEnd = findPinnedEnd(messages);
  const pinned = messages.slice(0, pinnedEnd + 1);
  const groups = groupTurns(messages, pinnedEnd + 1);
  const sizes = groups.map((group) => group.reduce((sum, message) => sum + estimateMessageTokens(message), 0));
  const step = Math.max(1, Math.floor(budgets.contextLimit / 2));
  const threshold = Math.ceil((total - budgets.contextLimit) / step) * step;
  let droppedGroups = 0;
  let cumulative = 0;
  let remaining = total;
  // The newest turn always stays: it holds what this request is about.
  while (droppedGroups < groups.length - 1) {
    const size = sizes[droppedGroups] ?? 0;
    if (cumulative + size > threshold && remaining <= budgets.contextLimit) break;
    cumulative += size;
    remaining -= size;
    droppedGroups += 1;
  }
  if (droppedGroups === 0) return { messages, dropped: [...dropped], overContextLimit: true };
  const droppedMessages = groups.slice(0, droppedGroups).reduce((sum, group) => sum + group.length, 0);
  dropped.add(`${droppedMessages} older messages`);
  const note = `(mallex: ${droppedMessages} earlier messages of this conversation were left out here to fit the local model's context.)`;
  const lastPinned = pinned.length - 1;
  const notedPinned = pinned.map((message, index) => (index === lastPinned && message.role === 'user' ? appendNote(message, note) : message));
  const kept = [...notedPinned, ...groups.slice(droppedGroups).flat()];
  const keptTotal = fixedTokens + kept.reduce((sum, message) => sum + estimateMessageTokens(message), 0);
  return { messages: kept, dropped: [...dropped], overContextLimit: keptTotal > budgets.contextLimit };
}

/** Both budgets applied (issue #4): tool results shortened first, then old turns dropped. */
export function applyBudgets(messages: readonly AnthropicMessage[], budgets: PromptBudgets, fixedTokens: number): BudgetOutcome {
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) if (block.type === 'tool_use') toolNames.set(block.id, block.name);
  }
  const dropped = new Set<string>();
  const shortened = messages.map((message) => shortenToolResults(message, budgets.prefillBudget, toolNames, dropped));
  return dropOldTurns(shortened, budgets, fixedTokens, dropped);
}
