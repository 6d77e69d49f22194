import type { MallexConfig } from '../../../lib/config/schema.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import type { LocalPrompt, ToolCallExtractor } from '../local-prompt.js';
import { readPromptOptions, selectOfferedTools } from '../prompt/prepare-local-prompt.js';
import { createToolCallExtractor } from './tool-call-extractor.js';

/**
 * The translator's extractor seam (services/translator/app.ts): one extractor
 * per response, matching calls against the tools the prompt offered (chosen
 * again from the request and config when the preparer did not say).
 */
export function createRequestToolCallExtractor(request: AnthropicMessagesRequest, config: MallexConfig, prompt?: LocalPrompt): ToolCallExtractor {
  return createToolCallExtractor({ tools: prompt?.offeredTools ?? selectOfferedTools(request, readPromptOptions(config)).offered });
}
