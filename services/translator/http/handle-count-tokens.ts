import type { Request, Response } from 'express';
import { sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import { estimateTokens } from '../../../lib/tokens/estimate-tokens.js';
import { foldSystemMessages } from '../fold-system-messages.js';
import { parseCountTokensRequest } from '../../../lib/wire/check-messages-request.js';

/**
 * count_tokens, answered here and never forwarded: the conversation stays on
 * the machine. The method is the shared character estimate
 * (lib/tokens/estimate-tokens.ts, ~3.5 characters per token) over the system
 * text, the messages and the tool definitions as JSON, the same measure the
 * prompt preparer uses, so Claude Code's compaction decisions match ours.
 */
export function handleCountTokens(req: Request, res: Response): void {
  const parsed = parseCountTokensRequest(req.body);
  if (!parsed.ok) return sendAnthropicError(res, 400, parsed.message, 'invalid_request_error');
  const folded = foldSystemMessages(parsed.value.system, parsed.value.messages);
  const tools = parsed.value.tools?.length ? JSON.stringify(parsed.value.tools) : '';
  res.json({ input_tokens: estimateTokens(folded.system + JSON.stringify(folded.messages) + tools) });
}
