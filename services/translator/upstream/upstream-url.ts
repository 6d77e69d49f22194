import { resolveChatCompletionsEndpoint } from '../../../lib/model-server/chat-completions-endpoint.js';
import type { MallexConfig } from '../../../lib/config/schema.js';

/** Where chat requests go (shared with the classifier), and which kind of server it is: it decides whether `model` is sent. */
export function resolveUpstream(config: MallexConfig): { url: string; backendKind: 'mlx' | 'openai' } {
  return { url: resolveChatCompletionsEndpoint(config).url, backendKind: config.backend.kind };
}
