// OpenAI Chat Completions shapes as mlx-lm.server accepts and produces them
// (PROTOCOL.md A3–A5).

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; /** a JSON string, never an object (A3) */ arguments: string };
}

/** Content parts; mlx-lm.server accepts only text parts (A3), image parts go only to backends with vision. */
export type OpenAiContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type OpenAiMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAiContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAiToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAiTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface OpenAiChatRequest {
  /** Omitted for mlx-lm.server: any other name makes it load that model (A3). */
  model?: string;
  messages: OpenAiMessage[];
  stream: true;
  stream_options: { include_usage: true };
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
  tools?: OpenAiTool[];
  chat_template_kwargs?: Record<string, unknown>;
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

export interface OpenAiStreamChunk {
  id?: string;
  object?: string;
  choices: Array<{
    index: number;
    finish_reason: string | null;
    delta: {
      role?: string;
      content?: string | null;
      reasoning?: string | null;
      tool_calls?: Array<OpenAiToolCall & { index?: number }>;
    };
  }>;
  usage?: OpenAiUsage;
}
