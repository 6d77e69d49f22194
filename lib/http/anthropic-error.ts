import type { Response } from 'express';

// Every error that leaves a mallex service has the Anthropic shape, so Claude
// Code (and the SDK's retry logic) understands it (PROTOCOL.md B5).

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

const TYPE_BY_STATUS: Readonly<Record<number, AnthropicErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function mapStatusToErrorType(status: number): AnthropicErrorType {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

export function createErrorBody(type: AnthropicErrorType, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

/** An error that already knows the HTTP status and Anthropic type it should be answered with. */
export class AnthropicHttpError extends Error {
  override name = 'AnthropicHttpError';
  readonly type: AnthropicErrorType;
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown; type?: AnthropicErrorType },
  ) {
    super(message, options);
    this.type = options?.type ?? mapStatusToErrorType(status);
  }
}

export function sendAnthropicError(res: Response, status: number, message: string, type = mapStatusToErrorType(status)): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // Claude Code retries 429/5xx on its own; say so explicitly for overload.
  if (type === 'overloaded_error') res.setHeader('x-should-retry', 'true');
  res.status(status).json(createErrorBody(type, message));
}

/** The SSE form of an error, for failures after the stream's 200 went out. */
export function formatSseError(type: AnthropicErrorType, message: string): string {
  return `event: error\ndata: ${JSON.stringify(createErrorBody(type, message))}\n\n`;
}
