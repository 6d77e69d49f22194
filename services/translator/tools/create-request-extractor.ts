import type { MallexConfig } from '../../../lib/config/schema.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import type { ToolCallExtractor } from '../local-prompt.js';
import { readPromptOptions, selectOfferedTools } from '../prompt/prepare-local-prompt.js';
import { createToolCallExtractor } from './tool-call-extractor.js';

/**
 * The translator's extractor seam (services/translator/app.ts): one extractor
 * per response, matching calls against the same tools prepareLocalPrompt
 * offered for this request.
 */
export function createRequestToolCallExtractor(request: AnthropicMessagesRequest, config: MallexConfig): ToolCallExtractor {
  return createToolCallExtractor({ tools: selectOfferedTools(request, readPromptOptions(config)).offered });
}
