import type { Request, Response } from 'express';
import type { RequestKind } from '../../../lib/claude-code/request-shape.js';
import type { Category, MallexConfig } from '../../../lib/config/schema.js';
import type { AnthropicErrorType } from '../../../lib/http/anthropic-error.js';
import type { RequestRecord } from '../../../lib/observability/request-record.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import type { ClaudeProxy } from '../forward/claude-proxy.js';
import type { ForegroundLease, LocalScheduler } from '../schedule/local-scheduler.js';
import type { TurnState } from '../route/decide-route.js';
import type { BackgroundSchedule, Ending, RoutedDecision } from '../record/gateway-record.js';
import type { SessionStore } from '../route/session-store.js';

/** What the gateway's request handling shares between requests. */
export interface GatewayContext {
  config: MallexConfig;
  internalToken: string;
  sessions: SessionStore;
  /** Who uses the local model now, and the model's state. */
  scheduler: LocalScheduler;
  claudeProxy: ClaudeProxy;
  classify(text: string): Promise<{ category: Category; source: string; ms: number }>;
  emitRecord(record: RequestRecord): void;
  /** The records of requests still being answered or closing: a shutdown waits for them before its last flush. */
  pendingRecords: Set<Promise<void>>;
  now(): number;
  /** Pause before the one retry of a failed Claude attempt. */
  claudeRetryDelayMs: number;
  /** How often a request waiting for the local model looks again. */
  waitPollMs: number;
}

/**
 * One /v1/messages request: what is known of it on arrival, and its hold on
 * the local model. What each step learns comes back in its outcome.
 */
export interface Exchange {
  req: Request;
  res: Response;
  body: AnthropicMessagesRequest;
  kind: RequestKind;
  sessionId: string | undefined;
  conversationKey: string;
  /** The user's real prompt, for the classifier ("" when there is none). */
  prompt: string;
  turn: TurnState | undefined;
  startedAt: number;
  /** This foreground request's hold on the local model, from its classification to the end of its local answer. */
  lease?: ForegroundLease;
  /** Prompt tokens the local model would have to prefill (its cache aside); measured once, when first needed. */
  uncachedTokens?: number;
}

/** An upstream answer that was not passed on, kept to pass on if nothing else can serve the request. */
export interface HeldFailure {
  status: number;
  contentType: string;
  body: string;
  errorType: AnthropicErrorType | null;
}

export type { RoutedDecision };

/** A send step's outcome, with what it learned on the way for the record. */
export type SendOutcome = (
  | { kind: 'sent'; ending: Ending | null } // null: the client left before anything was passed on
  | { kind: 'failed'; cause: 'local-too-long' | 'local-unreachable' | 'claude-failed'; failure: HeldFailure }
  | { kind: 'unserved' } // a background request the local model could not start in time
) & { transcriptAdjustments?: string[]; background?: BackgroundSchedule };

export const MALLEX_ROUTE_HEADERS = {
  route: 'x-mallex-route',
  tier: 'x-mallex-tier',
  reason: 'x-mallex-reason',
  category: 'x-mallex-category',
} as const;

/** The x-mallex-* response headers, from the decision that answers (the record takes the same decision from the outcome). */
export function setRouteHeaders(res: Response, decision: RoutedDecision): void {
  res.setHeader(MALLEX_ROUTE_HEADERS.route, decision.target);
  res.setHeader(MALLEX_ROUTE_HEADERS.tier, decision.tier === null ? 'none' : String(decision.tier));
  res.setHeader(MALLEX_ROUTE_HEADERS.reason, decision.reason);
  res.setHeader(MALLEX_ROUTE_HEADERS.category, decision.category ?? 'none');
}
