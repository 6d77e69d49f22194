import type { MallexConfig } from '../config/schema.js';

export interface ChatCompletionsEndpoint {
  url: string;
  /** Sent as `model` only to OpenAI-compatible servers: mlx-lm.server loads any other name it is given (PROTOCOL.md A3). */
  model?: string;
}

/** Where the local model's OpenAI chat completions are, for every service that asks it. */
export function resolveChatCompletionsEndpoint(config: Pick<MallexConfig, 'backend' | 'serverPort' | 'model'>): ChatCompletionsEndpoint {
  switch (config.backend.kind) {
    case 'mlx':
      return { url: `http://127.0.0.1:${config.serverPort}/v1/chat/completions` };
    case 'openai':
      return { url: `${config.backend.url.replace(/\/+$/, '')}/chat/completions`, model: config.model };
    default: {
      const unknownKind: never = config.backend.kind;
      throw new TypeError(`unknown backend kind ${String(unknownKind)}`);
    }
  }
}
