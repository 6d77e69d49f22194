import { mapStatusToErrorType, type AnthropicErrorType } from '../../../lib/http/anthropic-error.js';
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

export async function readHeldFailure(response: globalThis.Response): Promise<HeldFailure> {
  const body = (await response.text().catch(() => '')).slice(0, MAX_HELD_BYTES);
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body, errorType: readErrorType(body, response.status) };
}
