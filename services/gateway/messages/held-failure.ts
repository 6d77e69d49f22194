import type { IncomingMessage } from 'node:http';
import { mapStatusToErrorType, type AnthropicErrorType } from '../../../lib/http/anthropic-error.js';
import { readResponseText } from '../../../lib/http/send-request.js';
import type { HeldFailure } from './exchange.js';

/** Error answers are small; a larger one is cut, it is only passed on as a last resort. */
const MAX_HELD_BYTES = 64 * 1024;

export function readErrorType(body: string, status: number): AnthropicErrorType {
  try {
    const type = (JSON.parse(body) as { error?: { type?: string } }).error?.type;
    if (typeof type === 'string' && type.length > 0) return type as AnthropicErrorType;
  } catch {
    // Not JSON: the status says enough.
  }
  return mapStatusToErrorType(status);
}

/** Reads an upstream error answer whole, to pass on later if nothing else can serve the request. */
export async function readHeldFailure(response: IncomingMessage): Promise<HeldFailure> {
  const body = await readResponseText(response, MAX_HELD_BYTES).catch(() => '');
  const status = response.statusCode ?? 502;
  return { status, contentType: String(response.headers['content-type'] ?? 'application/json'), body, errorType: readErrorType(body, status) };
}
