import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestRecord } from './request-record.js';

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The gateway's Prometheus metrics, fed from the same request records as the
 * request log, so `/metrics`, `mallex stats` and the status line agree.
 * A registry of its own (not prom-client's global one) so tests can make
 * several gateways in one process.
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  const requests = new Counter({ name: 'mallex_requests_total', help: 'Requests by route, tier, reason and category.', labelNames: ['route', 'tier', 'reason', 'category'] as const, registers: [registry] });
  const classifierSeconds = new Histogram({ name: 'mallex_classifier_duration_seconds', help: 'Time the classifier took per classified prompt.', buckets: LATENCY_BUCKETS_SECONDS, registers: [registry] });
  const ttftSeconds = new Histogram({ name: 'mallex_time_to_first_token_seconds', help: 'Time from request to the first byte of the answer, by route.', labelNames: ['route'] as const, buckets: LATENCY_BUCKETS_SECONDS, registers: [registry] });
  const localInFlight = new Gauge({ name: 'mallex_local_in_flight', help: 'Local model requests in flight (generations and classifications).', registers: [registry] });
  const overflows = new Counter({ name: 'mallex_overflows_total', help: 'Requests sent to Claude because the local model was busy.', registers: [registry] });
  const escalations = new Counter({ name: 'mallex_escalations_total', help: 'Turns moved one tier up by "try again".', registers: [registry] });
  const promptTokens = new Counter({ name: 'mallex_prompt_tokens_total', help: 'Estimated prompt tokens of local requests, before and after trimming.', labelNames: ['stage'] as const, registers: [registry] });
  const localRestarts = new Gauge({ name: 'mallex_local_server_restarts', help: 'Restarts of the local model server since the mlx-manager started, by reason.', labelNames: ['reason'] as const, registers: [registry] });
  const errors = new Counter({ name: 'mallex_errors_total', help: 'Requests answered with an error, by Anthropic error type.', labelNames: ['type'] as const, registers: [registry] });

  return {
    registry,
    recordRequest(record: RequestRecord): void {
      requests.inc({ route: record.route, tier: String(record.tier), reason: record.reason, category: record.category ?? 'none' });
      if (record.classifierMs !== null) classifierSeconds.observe(record.classifierMs / 1000);
      if (record.ttftMs !== null) ttftSeconds.observe({ route: record.route }, record.ttftMs / 1000);
      if (record.reason === 'overflow') overflows.inc();
      if (record.escalated) escalations.inc();
      if (record.route === 'local' && record.promptTokensBefore !== null) {
        promptTokens.inc({ stage: 'before' }, record.promptTokensBefore);
        promptTokens.inc({ stage: 'after' }, record.promptTokensAfter ?? record.promptTokensBefore);
      }
      if (record.errorType) errors.inc({ type: record.errorType });
    },
    setLocalInFlight(count: number): void {
      localInFlight.set(count);
    },
    /** From the mlx-manager's status: restart counts by reason (crash, oom, hang, …). */
    setLocalRestarts(byReason: Record<string, number>): void {
      for (const [reason, count] of Object.entries(byReason)) localRestarts.set({ reason }, count);
    },
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
