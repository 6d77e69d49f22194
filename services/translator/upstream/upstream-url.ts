import type { MallexConfig } from '../../../lib/config/schema.js';

/**
 * Where chat requests go, and whether `model` is sent: mlx-lm.server on its
 * loopback port without a model (A3: any name but default_model makes it
 * load that model), or an OpenAI-compatible server with the configured one.
 */
export function resolveUpstream(config: MallexConfig): { url: string; backendKind: 'mlx' | 'openai' } {
  switch (config.backend.kind) {
    case 'mlx':
      return { url: `http://127.0.0.1:${config.serverPort}/v1/chat/completions`, backendKind: 'mlx' };
    case 'openai':
      return { url: `${config.backend.url.replace(/\/+$/, '')}/chat/completions`, backendKind: 'openai' };
    default: {
      const exhaustive: never = config.backend.kind;
      throw new TypeError(`unknown backend kind ${String(exhaustive)}`);
    }
  }
}
