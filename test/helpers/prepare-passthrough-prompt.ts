import type { MallexConfig } from '../../lib/config/schema.js';
import { estimateTokens } from '../../lib/tokens/estimate-tokens.js';
import type { AnthropicMessagesRequest } from '../../lib/wire/anthropic.js';
import { convertAnthropicTools } from '../../services/translator/request/convert-anthropic-tools.js';
import { foldSystemMessages } from '../../services/translator/fold-system-messages.js';
import type { LocalPrompt } from '../../services/translator/local-prompt.js';

/** The prompt a model would be given, as one text to measure: system, messages and tool definitions. */
function joinPromptText(system: string, messages: unknown, tools: unknown): string {
  return system + JSON.stringify(messages) + (tools === undefined ? '' : JSON.stringify(tools));
}

/**
 * A preparer that changes nothing but what every model needs: role "system"
 * messages folded into the system prompt, tools offered natively as they are.
 * For tests and benchmarks that need a request converted untrimmed; the
 * translator trims (services/translator/prompt).
 */
export function preparePassthroughPrompt(request: AnthropicMessagesRequest, _config: MallexConfig): LocalPrompt {
  const folded = foldSystemMessages(request.system, request.messages);
  const { tools } = convertAnthropicTools(request.tools ?? []);
  const text = joinPromptText(folded.system, folded.messages, tools.length ? tools : undefined);
  const chars = text.length;
  const tokens = estimateTokens(text);
  return {
    system: folded.system,
    messages: folded.messages,
    toolMode: 'native',
    ...(tools.length ? { openaiTools: tools } : {}),
    report: { charsAfter: chars, tokensAfter: tokens, dropped: [], overContextLimit: false },
  };
}
