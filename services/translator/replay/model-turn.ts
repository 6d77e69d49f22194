import type { ContentBlock } from '../../../lib/wire/anthropic.js';

// What the local model wrote for one answer, kept so that when Claude Code
// sends the answer back the model gets its own bytes again (PROTOCOL.md D3):
// the prompt cache of mlx-lm.server, llama.cpp and Ollama matches only a
// byte-identical prefix of the rendered prompt, and an answer re-rendered
// from Anthropic blocks (JSON re-serialised, text and calls joined by other
// whitespace) ends the cached prefix where it starts.

/** One call the server parsed itself (OpenAI `tool_calls`), with the argument string as the server sent it. */
export interface ModelToolCall {
  /** The tool_use id the translator gave it in the Anthropic answer. */
  id: string;
  name: string;
  arguments: string;
}

export interface ModelTurn {
  /** Every `content` delta of the answer, joined: text tool calls stay in it with their exact whitespace. */
  content: string;
  toolCalls: ModelToolCall[];
  /** The answer as Claude Code will send it back (describeAnswer of its blocks): what finds it again. */
  answer: string;
}

/** The parts of an Anthropic block list that identify an answer: its text, and each tool_use's id and name. */
export type AnswerPart = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string };

/**
 * A key for one answer: its text blocks (trimmed, blank ones left out, as a
 * client may trim them) and its tool_use blocks by id (unique per call, made
 * by the translator) and name. Not by input: Claude Code sends a call back
 * with the defaults of its schema filled in (Edit gains `"replace_all":
 * false`), and the model should still see the call as it wrote it. Thinking
 * blocks are left out: they never reach the local model again.
 */
export function describeAnswerParts(parts: readonly AnswerPart[]): string {
  const pieces: string[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text': {
        const text = part.text.trim();
        if (text.length > 0) pieces.push(`t${text}`);
        break;
      }
      case 'tool_use':
        pieces.push(`u${part.id}\u0000${part.name}`);
        break;
      default: {
        const exhaustive: never = part;
        throw new TypeError(`unknown answer part ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  return pieces.join('\u0001');
}

/** The key of an assistant message as it comes back in a request; undefined when it holds a block the model never writes. */
export function describeAnswer(blocks: readonly ContentBlock[]): string | undefined {
  const parts: AnswerPart[] = [];
  for (const block of blocks) {
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'tool_use') parts.push({ type: 'tool_use', id: block.id, name: block.name });
    else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') return undefined;
  }
  return parts.length > 0 ? describeAnswerParts(parts) : undefined;
}
