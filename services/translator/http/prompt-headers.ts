import type { Response } from 'express';
import { estimateTokensOfLength } from '../../../lib/tokens/estimate-tokens.js';
import type { PromptReport } from '../local-prompt.js';

/** The prompt's sizes before (charsBefore: measureRequestChars) and after preparation, read by the gateway for logs and metrics. */
export function setPromptHeaders(res: Response, report: PromptReport, charsBefore: number): void {
  res.setHeader('x-mallex-prompt-tokens-before', String(estimateTokensOfLength(charsBefore)));
  res.setHeader('x-mallex-prompt-tokens-after', String(report.tokensAfter));
  res.setHeader('x-mallex-prompt-chars-before', String(charsBefore));
  res.setHeader('x-mallex-prompt-chars-after', String(report.charsAfter));
}


/** Claude Code shows "Prompt is too long" for this message (PROTOCOL.md B5) and offers /compact. */
export function describeTooLong(tokens: number, limit: number): string {
  return `prompt is too long: ${tokens} tokens > ${limit} maximum`;
}
