import type { RequestRecord } from '../../../lib/observability/request-record.js';
import { estimateRequestTokens } from '../../../lib/tokens/measure-request.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import type { RouteDecision } from '../route/decide-route.js';

// The per-request record, built once when the response has closed from what
// the request's steps returned (buildRequestRecord), and the one function that
// emits it to the gateway's sinks (request log, metrics). Never prompt text,
// never a credential.

export type RequestRecordSink = (record: RequestRecord) => void;

/** A decision that named a route to send the request on. */
export type RoutedDecision = Extract<RouteDecision, { target: 'local' | 'claude' }>;

/** What a relayed answer showed on its way to the client: all of it, or what passed before the client left. */
export interface RelayedAnswer {
  status: number;
  /** api_error when the upstream broke off mid-answer. */
  errorType: string | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** The input tokens outside the prompt cache: what the model had to prefill. */
  uncachedInputTokens: number | null;
}

/** What was passed on to Claude Code, and from which route. */
export interface Ending {
  /** The route that answered or failed; null when none was taken (a 529 or 400 of the gateway's own). */
  decision: RoutedDecision | null;
  /** The model that answered: the local model id, or the Claude model sent upstream. */
  model: string;
  /** Why, when it is not the decision's own reason: why nothing else could serve the request. */
  reason?: string;
  status: number;
  errorType: string | null;
  ttftMs?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  /** Local route: the prompt's estimated tokens after the translator trimmed it. */
  promptTokensAfter?: number | null;
}

/** What the local model's scheduler did with a background request. */
export interface BackgroundSchedule {
  schedule: NonNullable<RequestRecord['schedule']>;
  queuedMs: number | null;
  preemptions: number;
}

/** Everything the record is built from: the request's identity, each step's outcome, and the close. */
export interface RequestSteps {
  id: string;
  startedAt: number;
  session: string | null;
  priority: 'foreground' | 'background';
  localModel: string;
  /** Settling the route: the classifier's time (when it was asked), the last predicted wait. */
  classifierMs: number | null;
  predictedWaitMs: number | null;
  /** What the last Claude attempt changed in the transcript. */
  transcriptAdjustments: string[];
  background: BackgroundSchedule | null;
  /** null: nothing was passed on (the client left first, or the handler threw). */
  ending: Ending | null;
  closedAt: number;
  /** The response's status when it closed: what Express sent, or 499 when the client left before any header. */
  closedStatus: number;
}

/** The request's one record; pure (the tokens before trimming are an estimate of the body). */
export function buildRequestRecord(steps: RequestSteps, body: AnthropicMessagesRequest): RequestRecord {
  const { ending } = steps;
  const decision = ending?.decision ?? null;
  const route = decision?.target ?? 'local';
  const promptTokensAfter = ending?.promptTokensAfter ?? null;
  return {
    at: new Date(steps.startedAt).toISOString(),
    id: steps.id,
    session: steps.session,
    // A request that is never routed stays "local", tier 0, reason "unrouted".
    route,
    tier: decision?.tier ?? 0,
    reason: ending?.reason ?? decision?.reason ?? 'unrouted',
    category: decision?.category ?? null,
    model: ending?.model ?? steps.localModel,
    escalated: decision?.reason === 'escalation',
    classifierMs: steps.classifierMs,
    ttftMs: ending?.ttftMs ?? null,
    durationMs: steps.closedAt - steps.startedAt,
    status: ending?.status ?? steps.closedStatus,
    inputTokens: ending?.inputTokens ?? null,
    outputTokens: ending?.outputTokens ?? null,
    promptTokensBefore: route === 'local' && promptTokensAfter !== null ? measurePromptBefore(body) : null,
    promptTokensAfter,
    errorType: ending?.errorType ?? null,
    transcriptAdjustments: steps.transcriptAdjustments,
    priority: steps.priority,
    schedule: steps.background?.schedule ?? null,
    preemptions: steps.background?.preemptions ?? 0,
    queuedMs: steps.background?.queuedMs ?? null,
    predictedWaitMs: steps.predictedWaitMs,
  };
}

/**
 * The size before trimming of a request the local model answered (the
 * translator reports the size after). Measured when the record is built,
 * once the answer has gone: the record needs it, the first token does not
 * (measuring the tools' JSON is the costly part, lib/tokens/measure-request.ts).
 */
function measurePromptBefore(body: AnthropicMessagesRequest): number | null {
  try {
    return estimateRequestTokens(body);
  } catch {
    // The translator accepted this body, so its shape is known; still, a record's field must never fail a request.
    return null;
  }
}

/**
 * Hands each finished request's record to the sinks (the request log, the
 * metrics). Not to stdout: requests.jsonl is the one line per request, and
 * `mallex logs` shows it beside pm2's logs; a stdout line would cost a pipe
 * write here and a wake-up of the pm2 daemon for every request.
 */
export function createRecordEmitter(writeLine: (line: string) => void, sinks: RequestRecordSink[]): RequestRecordSink {
  return function emitRequestRecord(record) {
    for (const sink of sinks) {
      try {
        sink(record);
      } catch (error) {
        writeLine(JSON.stringify({ level: 'error', service: 'gateway', msg: 'a request record sink failed', error: String(error) }));
      }
    }
  };
}
