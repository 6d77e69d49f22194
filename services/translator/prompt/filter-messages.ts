import type { AnthropicMessage, ContentBlock, ToolResultBlock } from '../../../lib/wire/anthropic.js';
import { classifyContext, isFactKind, readInstructionFiles, type ContextSection } from './classify-context.js';
import { addFactSection, hasInstructionFile, type PromptFacts } from './read-facts.js';
import type { PromptCaches } from './prompt-caches.js';

export interface FilterOptions {
  /** Small and medium tiers: the facts of the conversation's start move into the compact system prompt. */
  extractFacts: boolean;
  /** The translator's caches of classified texts and facts read. */
  caches: PromptCaches;
}

export interface FilteredConversation {
  /** Leading role "system" messages stay (filtered) for foldSystemMessages; later ones become user text. */
  messages: AnthropicMessage[];
  /** Names of what was dropped, once each. */
  dropped: string[];
}

const REMINDER = /<system-reminder>\n?([\s\S]*?)\n?<\/system-reminder>/g;

interface FilterState {
  facts: PromptFacts;
  dropped: Set<string>;
  options: FilterOptions;
}

/** Whether a section is kept in the text, moved into the facts, or dropped (its name recorded). */
function keepSection(section: ContextSection, leading: boolean, state: FilterState): boolean {
  if (section.kind === 'unknown') return true;
  if (section.kind === 'boilerplate') return false;
  if (isFactKind(section.kind)) {
    if (leading && state.options.extractFacts) {
      addFactSection(section.kind, section.text, state.facts, state.options.caches.facts);
      return false;
    }
    if (section.kind === 'instructions') {
      const files = readInstructionFiles(section.text);
      if (files.length > 0 && files.every((file) => hasInstructionFile(state.facts, file))) {
        state.dropped.add('duplicate CLAUDE.md');
        return false;
      }
      if (leading) for (const file of files) state.facts.instructions.push(file);
    }
    return true;
  }
  state.dropped.add(section.kind);
  return false;
}

function filterContextText(text: string, leading: boolean, state: FilterState): string {
  return classifyContext(text, state.options.caches.contexts)
    .filter((section) => keepSection(section, leading, state))
    .map((section) => section.text)
    .join('\n\n');
}

/** Text with each <system-reminder> filtered and unwrapped; text outside reminders is kept as written. */
function filterReminders(text: string, leading: boolean, state: FilterState): string {
  if (!text.includes('<system-reminder>')) return text;
  const pieces: string[] = [];
  let last = 0;
  for (const match of text.matchAll(REMINDER)) {
    pieces.push(text.slice(last, match.index));
    pieces.push(filterContextText(match[1] ?? '', leading, state));
    last = (match.index ?? 0) + match[0].length;
  }
  pieces.push(text.slice(last));
  return pieces.filter((piece) => piece.trim()).map((piece) => piece.trim()).join('\n\n');
}

function filterToolResult(block: ToolResultBlock, state: FilterState): ToolResultBlock {
  if (typeof block.content === 'string') return { ...block, content: filterReminders(block.content, false, state) };
  if (!Array.isArray(block.content)) return block;
  const content = block.content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? { ...part, text: filterReminders(part.text, false, state) } : part))
    .filter((part) => !(part.type === 'text' && part.text === ''));
  return { ...block, content };
}

function filterBlocks(content: string | ContentBlock[], leading: boolean, state: FilterState): string | ContentBlock[] {
  if (typeof content === 'string') return filterReminders(content, leading, state);
  const blocks: ContentBlock[] = [];
  for (const block of content) {
    switch (block.type) {
      case 'text': {
        const text = filterReminders(block.text, leading, state);
        if (text) blocks.push({ ...block, text });
        break;
      }
      case 'tool_result':
        blocks.push(filterToolResult(block, state));
        break;
      case 'thinking':
      case 'redacted_thinking':
        // Claude's signed reasoning means nothing to a local model and costs prefill.
        state.dropped.add('thinking');
        break;
      case 'image':
      case 'document':
      case 'tool_use':
        blocks.push(block);
        break;
      default: {
        const unreachable: never = block;
        blocks.push(unreachable); // an unknown block type at run time is kept for the converter to decide
      }
    }
  }
  return blocks;
}

function isEmpty(content: string | ContentBlock[]): boolean {
  return typeof content === 'string' ? content.trim() === '' : content.length === 0;
}

/**
 * Reminders and role "system" messages filtered (PROTOCOL.md C): Claude Code
 * infrastructure dropped, facts of the conversation's start (everything
 * before the first assistant message) moved into `facts` when asked, unknown
 * content unwrapped and kept. Every message is filtered on its own content
 * and position only, so a message renders the same on every later request
 * (prefix stability). A role "system" message after the start becomes user
 * text: folding it into the system prompt would change the prefix.
 */
export function filterConversation(messages: readonly AnthropicMessage[], facts: PromptFacts, options: FilterOptions): FilteredConversation {
  const state: FilterState = { facts, dropped: new Set(), options };
  const firstAssistant = messages.findIndex((message) => message.role === 'assistant');
  const filtered: AnthropicMessage[] = [];
  messages.forEach((message, index) => {
    const leading = firstAssistant < 0 || index < firstAssistant;
    const content = message.role === 'system'
      ? filterContextText(typeof message.content === 'string' ? message.content : textOf(message.content), leading, state)
      : filterBlocks(message.content, leading, state);
    if (isEmpty(content)) return;
    const role = message.role === 'system' && !leading ? 'user' : message.role;
    filtered.push({ role, content });
  });
  return { messages: filtered, dropped: [...state.dropped] };
}

function textOf(content: ContentBlock[]): string {
  return content.map((block) => (block.type === 'text' ? block.text : '')).filter(Boolean).join('\n\n');
}
