import type { Response } from 'express';
import type { PromptReport } from '../local-prompt.js';

/**
 * The size of what the model was sent, read by the gateway for its record
 * and metrics. The size before trimming is the gateway's to measure: it has
 * the request too, and measures it after the answer (measure-request.ts).
 */
export function setPromptHeaders(res: Response, report: PromptReport): void {
  res.setHeader('x-mallex-prompt-tokens-after', String(report.tokensAfter));
  res.setHeader('x-mallex-prompt-chars-after', String(report.charsAfter));
}


/** Claude Code shows "Prompt is too long" for this message (PROTOCOL.md B5) and offers /compact. */
export function describeTooLong(tokens: number, limit: number): string {
  return `prompt is too long: ${tokens} tokens > ${limit} maximum`;
}
