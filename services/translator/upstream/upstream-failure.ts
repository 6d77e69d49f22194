import type { AnthropicErrorType } from '../../../lib/http/anthropic-error.js';

/** What went wrong with the local model server, in the terms the answer depends on. */
export type UpstreamFailureKind =
  /** Connection refused or reset before an answer. */
  | 'unreachable'
  /** An HTTP error status before the stream began (mlx answers 404 for model and template errors, A6). */
  | 'rejected'
  /** The stream ended without a finish reason (A6: an exception mid-generation). */
  | 'ended-early'
  /** The connection broke mid-stream, or a chunk was not valid JSON. */
  | 'broken'
  /** Silence past translator.stallTimeoutSeconds (A8: hung generation thread). */
  | 'stalled';

export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * How each failure is answered when no byte has gone out yet (status) and
 * inside a stream (the `error` event's type). Claude Code retries 529, 500
 * and 504 (PROTOCOL.md B5); overloaded is what a busy or down local server
 * honestly is, and makes Claude Code wait and retry.
 */
export function mapUpstreamFailure(kind: UpstreamFailureKind): { status: number; type: AnthropicErrorType } {
  switch (kind) {
    case 'unreachable':
    case 'rejected':
      return { status: 529, type: 'overloaded_error' };
    case 'ended-early':
    case 'broken':
      return { status: 500, type: 'api_error' };
    case 'stalled':
      return { status: 504, type: 'timeout_error' };
    default: {
      const exhaustive: never = kind;
      throw new TypeError(`unknown upstream failure ${String(exhaustive)}`);
    }
  }
}
