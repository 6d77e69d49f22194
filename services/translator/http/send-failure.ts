import type { Response } from 'express';
import { sendAnthropicError, sendError } from '../../../lib/http/anthropic-error.js';
import { TOO_LONG_HEADER } from '../../../lib/http/headers.js';
import type { ModelServerError } from '../../../lib/model-server/model-server-error.js';

/**
 * A prompt that does not fit the local model: 400 with the message Claude
 * Code shows as "Prompt is too long" (PROTOCOL.md B5), marked with
 * TOO_LONG_HEADER so the gateway sends the turn where it fits instead, and
 * passes this answer on only when nothing else can serve it.
 */
export function sendTooLong(res: Response, message: string): void {
  res.setHeader(TOO_LONG_HEADER, '1');
  sendAnthropicError(res, 400, message, 'invalid_request_error');
}

/** A model server failure before the answer's first byte, with its real status; the server's "does not fit" is a too-long answer. */
export function sendModelServerFailure(res: Response, failure: ModelServerError): void {
  if (failure.kind === 'too-long') return sendTooLong(res, failure.message);
  sendError(res, failure);
}
