import type { RequestRecord } from '../../../lib/observability/request-record.js';
import { estimateRequestTokens } from '../../../lib/tokens/measure-request.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';

// The per-request record (one object, built here) and the one function that
// emits it: a structured log line now, and whatever sinks the gateway is
// given (request log, metrics). Never prompt text, never a credential.

export type RequestRecordSink = (record: RequestRecord) => void;

export function startRequestRecord({ id, at, session, model, priority }: { id: string; at: Date; session: string | null; model: string; priority: 'foreground' | 'background' }): RequestRecord {
  return {
    at: at.toISOString(),
    id,
    session,
    // Overwritten when the request is routed; a request that never is stays "local" with status 529.
    route: 'local',
    tier: 0,
    reason: 'unrouted',
    category: null,
    model,
    escalated: false,
    classifierMs: null,
    ttftMs: null,
    durationMs: 0,
    status: 0,
    inputTokens: null,
    outputTokens: null,
    promptTokensBefore: null,
    promptTokensAfter: null,
    errorType: null,
    transcriptAdjustments: [],
    priority,
    schedule: null,
    preemptions: 0,
    queuedMs: null,
    predictedWaitMs: null,
  };
}

/**
 * The size before trimming of a request the local model answered (the
 * translator reports the size after). Measured when the record is emitted,
 * once the answer has gone: the record needs it, the first token does not
 * (measuring the tools' JSON is the costly part, lib/tokens/measure-request.ts).
 */
export function recordPromptBefore(record: RequestRecord, body: AnthropicMessagesRequest): void {
  if (record.route !== 'local' || record.promptTokensAfter === null) return;
  try {
    record.promptTokensBefore = estimateRequestTokens(body);
  } catch {
    // The translator accepted this body, so its shape is known; still, a record's field must never fail a request.
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
