import type { ChatCompletionsEndpoint } from '../../lib/model-server/chat-completions-endpoint.js';
import { openChatStream } from '../../lib/model-server/open-chat-stream.js';
import { parseChatMessage } from '../../lib/model-server/parse-chat-chunk.js';
import { decodeSseStream } from '../../lib/sse/index.js';

export type ClassifierMessages = Array<{ role: 'system' | 'user'; content: string }>;

/** Asks the local model and resolves with its answer text; rejects on any failure or abort. */
export type AskModel = (messages: ClassifierMessages, signal: AbortSignal) => Promise<string>;

/** Enough for the longest category name. */
const MAX_ANSWER_TOKENS = 8;

/**
 * Asks through the OpenAI chat completions API, streamed like every request
 * to the model server (lib/model-server): a timed-out classification stops
 * the model on its next write (PROTOCOL.md A7).
 */
export function createModelAsker(endpoint: ChatCompletionsEndpoint, { disableThinking }: { disableThinking: boolean }): AskModel {
  const url = new URL(endpoint.url);
  return async function askModel(messages, signal) {
    const body = {
      ...(endpoint.model ? { model: endpoint.model } : {}),
      messages,
      stream: true,
      max_tokens: MAX_ANSWER_TOKENS,
      temperature: 0,
      // A thinking model would spend the few tokens on reasoning (PROTOCOL.md A3, A4).
      ...(disableThinking ? { chat_template_kwargs: { enable_thinking: false } } : {}),
    };
    const stream = openChatStream(url, JSON.stringify(body), { signal });
    const response = await stream.response;
    let answer = '';
    try {
      for await (const message of decodeSseStream(response, { includeComments: true })) {
        const item = parseChatMessage(message);
        if (item.kind === 'done') break;
        if (item.kind === 'chunk') answer += item.chunk.choices?.[0]?.delta?.content ?? '';
      }
    } finally {
      stream.stop();
    }
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    return answer;
  };
}
