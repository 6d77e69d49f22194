import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import { HOP_BY_HOP_HEADERS, INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';
import { sendRequest } from '../../../lib/http/send-request.js';

// Requests the translator answers for the gateway without routing:
// count_tokens (answered locally so conversation text is not sent to Anthropic
// just to be counted, issue #6) and the model list.

const HOP_BY_HOP = new Set(HOP_BY_HOP_HEADERS);

export function createTranslatorForwarder({ translatorPort, internalToken, timeoutMs = 30_000 }: { translatorPort: number; internalToken: string; timeoutMs?: number }) {
  return async function forwardToTranslator(req: Request, res: Response): Promise<void> {
    const abandoned = new AbortController();
    res.once('close', () => abandoned.abort());
    let response: IncomingMessage;
    try {
      response = await sendRequest(`http://127.0.0.1:${translatorPort}${req.originalUrl}`, {
        method: req.method,
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: internalToken },
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : JSON.stringify(req.body ?? {}),
        signal: abandoned.signal,
        timeoutMs,
      });
    } catch (error) {
      if (abandoned.signal.aborted) return;
      return sendAnthropicError(res, 529, `the local translator could not be reached: ${(error as Error).message}`);
    }
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
    res.status(response.statusCode ?? 502);
    response.on('error', () => res.destroy()).pipe(res);
  };
}
