import type { MallexConfig } from '../../lib/config/schema.js';
import type { AnthropicMessage, AnthropicMessagesRequest, AnthropicTool, ToolUseBlock } from '../../lib/wire/anthropic.js';
import type { OpenAiTool } from '../../lib/wire/openai.js';

// The seam between prompt preparation (trimming, reminders, tool injection:
// services/translator/prompt and .../tools) and the request converter
// (anthropic-request-to-openai). The converter takes a LocalPrompt; it never
// decides what the model sees.

export type ToolMode = 'native' | 'xml';

/**
 * What a preparer made of the request: the size of what the model gets and the
 * names of what was dropped, never contents. The request's own size is the
 * gateway's to measure (lib/tokens/measure-request.ts).
 */
export interface PromptReport {
  charsAfter: number;
  tokensAfter: number;
  dropped: string[];
  /** The prompt is still over the size's contextLimit after every cut: the gateway should send this turn to Claude. */
  overContextLimit: boolean;
}

export interface LocalPrompt {
  /** The whole system prompt the local model gets (Claude Code's role "system" messages already folded in). */
  system: string;
  /** The conversation, Anthropic-shaped, user/assistant only, after trimming. */
  messages: AnthropicMessage[];
  toolMode: ToolMode;
  /** Compact OpenAI tool definitions, sent to the server in native mode. */
  openaiTools?: OpenAiTool[];
  /** In xml mode, how an earlier tool_use is written into the assistant's text (the format the model is asked to produce). */
  renderToolUse?: (block: ToolUseBlock) => string;
  /** The tools the model was offered, when the preparer chose them: what the extractor matches calls against. */
  offeredTools?: AnthropicTool[];
  report: PromptReport;
}

export type ExtractorEvent =
  /** `annotated`: mallex added a note to what the model wrote (a call it could not run). */
  | { type: 'text'; text: string; annotated?: boolean }
  | { type: 'tool_call'; name: string; input: Record<string, unknown> };

/**
 * A stage of the response stream: model text in, text and complete tool calls
 * out. push() may hold back a suffix that could still become a tag; flush()
 * releases everything at the end of the stream.
 */
export interface ToolCallExtractor {
  push(text: string): ExtractorEvent[];
  flush(): ExtractorEvent[];
  /**
   * A call the server parsed itself (OpenAI `tool_calls`): mlx-lm picks its
   * parser from the chat template, so even in xml mode calls can arrive this
   * way. Matched and coerced like calls found in text; absent = taken as is.
   */
  resolveServerCall?(name: string, argumentsText: string): ExtractorEvent[];
}

/** How a request is turned into what the local model sees (services/translator/prompt trims it). */
export type PreparePrompt = (request: AnthropicMessagesRequest, config: MallexConfig) => LocalPrompt | Promise<LocalPrompt>;
