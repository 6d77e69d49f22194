import type { Request, Response } from 'express';
import type { MallexConfig } from '../../../lib/config/schema.js';

/** GET /v1/models in Anthropic's shape (PROTOCOL.md B1), listing the one local model. */
export function createModelsHandler(config: MallexConfig, startedAt: Date) {
  return function handleModels(_req: Request, res: Response): void {
    const model = {
      type: 'model',
      id: config.model,
      display_name: `${config.model} (local)`,
      created_at: startedAt.toISOString(),
      max_tokens: config.translator.maxOutputTokens,
    };
    res.json({ data: [model], has_more: false, first_id: model.id, last_id: model.id });
  };
}
