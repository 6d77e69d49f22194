import { AnthropicHttpError, type AnthropicErrorType } from '../http/anthropic-error.js';

// The one mapping of what goes wrong with the local model server to what
// Claude Code is told. 529 overloaded_error, which Claude Code retries up to
// ten times, only where waiting can help: the server is down or busy. A
// failure that the same request would meet again (a chat-template error, a
// model the server does not have, a prompt that does not fit its context) is
// a 4xx that names the cause, and no retry is asked for.

export type ModelServerFailureKind =
  /** No connection, or it closed before an answer (A8: a server restarting). */
  | 'unreachable'
  /** The server said it is busy (429, 503): another try later can succeed. */
  | 'busy'
  /** The server refused this request for a reason that a retry does not change (A6: template, model). */
  | 'refused'
  /**
   * The prompt does not fit the server's context. A retry does not change it
   * either, but Claude's larger context may: the translator answers it as it
   * answers a prompt over its own budget, and the gateway re-routes the turn.
   */
  | 'too-long'
  /** The server failed on its side (another 5xx). */
  | 'failed'
  /** An `{"error": …}` chunk inside the stream (OpenAI-compatible servers report a failed generation so). */
  | 'stream-error'
  /** The connection broke mid-stream, or a chunk was not valid JSON. */
  | 'broken'
  /** Silence past translator.stallTimeoutSeconds (A8: hung generation thread). */
  | 'stalled';

export class ModelServerError extends AnthropicHttpError {
  override name = 'ModelServerError';
  constructor(
    readonly kind: ModelServerFailureKind,
    message: string,
    options: { cause?: unknown; status?: number; type?: AnthropicErrorType; retryable?: boolean; upstreamStatus?: number } = {},
  ) {
    const answer = options.status === undefined ? answerFor(kind) : { status: options.status, type: options.type };
    super(answer.status, message, { cause: options.cause, type: answer.type, retryable: options.retryable });
    this.upstreamStatus = options.upstreamStatus;
  }
  /** The model server's own HTTP status, when it answered with one. */
  readonly upstreamStatus: number | undefined;
}

/** The status and type each kind is answered with, unless the refusal's cause chose one. */
function answerFor(kind: ModelServerFailureKind): { status: number; type?: AnthropicErrorType } {
  switch (kind) {
    case 'unreachable':
    case 'busy':
      return { status: 529, type: 'overloaded_error' };
    case 'refused':
    case 'too-long':
      return { status: 400, type: 'invalid_request_error' };
    case 'failed':
      return { status: 502, type: 'api_error' };
    case 'stream-error':
    case 'broken':
      return { status: 500, type: 'api_error' };
    case 'stalled':
      return { status: 504, type: 'timeout_error' };
    default: {
      const exhaustive: never = kind;
      throw new TypeError(`unknown model server failure ${String(exhaustive)}`);
    }
  }
}

const DETAIL_LIMIT = 500;

/** The message inside an error body: mlx's `{"error": "<exception>"}`, OpenAI's `{"error": {"message"}}`, or the text. */
export function readErrorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') return error.slice(0, DETAIL_LIMIT);
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message.slice(0, DETAIL_LIMIT);
    if (typeof parsed.message === 'string') return parsed.message.slice(0, DETAIL_LIMIT);
    if (typeof parsed.detail === 'string') return parsed.detail.slice(0, DETAIL_LIMIT);
  } catch {
    // Not JSON: the text is the detail.
  }
  return body.trim().slice(0, DETAIL_LIMIT) || '(no body)';
}

// A "does not fit" answer sends the conversation to Claude until it is compacted, so "too long" must be
// about the prompt: "generation took too long" is a timeout, not an overflow.
const CONTEXT_PATTERN = /context (length|size|window)|\b(prompt|input|request|messages?)\b.{0,20}too long|too many tokens|maximum.{0,20}(length|tokens)|exceeds? .{0,40}(context|tokens)|n_ctx|max_model_len/i;
const TEMPLATE_PATTERN = /template|jinja/i;
const MODEL_PATTERN = /model/i;
const MISSING_PATTERN = /load|not found|no such|unknown|does not exist|repository/i;

/** Whether the server's own words say the prompt does not fit its context (llama.cpp's exceed_context_size_error, vLLM's, OpenAI's). */
export function isContextOverflow(detail: string): boolean {
  return CONTEXT_PATTERN.test(detail);
}

/** Claude Code shows "Prompt is too long" for a message that starts so (PROTOCOL.md B5); the server's words name the sizes. */
export function describeContextOverflow(detail: string): string {
  return `prompt is too long for the local model's context: ${detail}`;
}

/** What an HTTP error answer from the model server means for Claude Code. */
export function describeRejection(status: number, body: string): ModelServerError {
  const detail = readErrorDetail(body);
  const upstreamStatus = status;
  if (status === 429 || status === 503) return new ModelServerError('busy', `the local model server is busy (${status}): ${detail}`, { upstreamStatus });
  // mlx-lm.server answers 404 for model load, template and tokenizer failures alike (A6): the text tells them apart.
  if (isContextOverflow(detail)) {
    return new ModelServerError('too-long', describeContextOverflow(detail), { upstreamStatus });
  }
  if (TEMPLATE_PATTERN.test(detail)) {
    return new ModelServerError('refused', `the local model's chat template failed on this request: ${detail}`, { upstreamStatus });
  }
  // Only a refusal: a server that fails while loading the model it has (a 5xx, out of memory) has not said it lacks it.
  if (status < 500 && MODEL_PATTERN.test(detail) && MISSING_PATTERN.test(detail)) {
    return new ModelServerError('refused', `the local model server does not have the model it was asked for: ${detail}`, { upstreamStatus, status: 404, type: 'not_found_error' });
  }
  if (status >= 500) return new ModelServerError('failed', `the local model server failed (${status}): ${detail}`, { upstreamStatus });
  return new ModelServerError('refused', `the local model server refused the request (${status}): ${detail}`, { upstreamStatus });
}
