import type { Response } from 'express';
import { encodeSseJson } from '../sse/encode-sse-event.js';

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

/**
 * What the Anthropic SDK (and so Claude Code) retries on its own: 408, 409,
 * 429 and every 5xx (PROTOCOL.md B5), unless the answer's x-should-retry
 * header says otherwise.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The base of mallex's error family: an error that knows the HTTP status and
 * Anthropic type it is answered with, and whether trying again can help.
 * Errors of a particular source derive from it (lib/model-server's
 * ModelServerError); a service's error handler answers any of them as it says.
 */
export class AnthropicHttpError extends Error {
  override name = 'AnthropicHttpError';
  readonly type: AnthropicErrorType;
  readonly retryable: boolean;
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown; type?: AnthropicErrorType; retryable?: boolean },
  ) {
    super(message, options);
    this.type = options?.type ?? mapStatusToErrorType(status);
    this.retryable = options?.retryable ?? isRetryableStatus(status);
  }
}

/**
 * Answers with an Anthropic error body. x-should-retry, which the SDK obeys
 * before its own rules, says "true" for overload (busy, try again) and
 * "false" where a status the SDK would retry cannot succeed on a retry.
 */
export function sendAnthropicError(res: Response, status: number, message: string, type = mapStatusToErrorType(status), retryable = isRetryableStatus(status)): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (type === 'overloaded_error') res.setHeader('x-should-retry', 'true');
  else if (!retryable && isRetryableStatus(status)) res.setHeader('x-should-retry', 'false');
  res.status(status).json(createErrorBody(type, message));
}

/** Answers with an error of the family, as it says. */
export function sendError(res: Response, error: AnthropicHttpError): void {
  sendAnthropicError(res, error.status, error.message, error.type, error.retryable);
}

/** The SSE form of an error, for failures after the stream's 200 went out (the one encoder of it). */
export function formatSseError(type: AnthropicErrorType, message: string): string {
  return encodeSseJson('error', createErrorBody(type, message));
}
