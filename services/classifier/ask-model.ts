import type { ChatCompletionsEndpoint } from '../../lib/backend/chat-completions-endpoint.js';
import { readResponseText, sendRequest } from '../../lib/http/send-request.js';
import { decodeSseStream } from '../../lib/sse/index.js';
import type { OpenAiStreamChunk } from '../../lib/wire/openai.js';

export type ClassifierMessages = Array<{ role: 'system' | 'user'; content: string }>;

/** Asks the local model and resolves with its answer text; rejects on any failure or abort. */
export type AskModel = (messages: ClassifierMessages, signal: AbortSignal) => Promise<string>;

/** Enough for the longest category name. */
const MAX_ANSWER_TOKENS = 8;

/**
 * Asks through the OpenAI chat completions API. Always streaming: mlx-lm.server
 * never cancels a non-streaming request, so a timed-out classification would
 * keep the model busy (PROTOCOL.md A7); a stream is dropped on its next write.
 */
export function createModelAsker(endpoint: ChatCompletionsEndpoint, { disableThinking }: { disableThinking: boolean }): AskModel {
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
    // A string body gets a Content-Length, which mlx-lm.server requires (A2).
    const response = await sendRequest(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      const detail = (await readResponseText(response, 200).catch(() => '')).slice(0, 200);
      throw new Error(`the local model answered ${status}: ${detail}`);
    }
    let answer = '';
    for await (const { data } of decodeSseStream(response)) {
      if (data === '[DONE]') break;
      const chunk = JSON.parse(data) as OpenAiStreamChunk;
      answer += chunk.choices?.[0]?.delta?.content ?? '';
    }
    return answer;
  };
}
