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
  const localRunning = new Gauge({ name: 'mallex_local_running', help: 'Requests on the local model now, by priority (foreground: prompts, tool loops, sub-agents; background: titles, summaries, Warmup).', labelNames: ['priority'] as const, registers: [registry] });
  const backgroundQueued = new Gauge({ name: 'mallex_local_background_queued', help: 'Background requests waiting for the local model.', registers: [registry] });
  const backgroundOutcomes = new Counter({ name: 'mallex_local_background_total', help: 'Background requests by what the local scheduler did with them: ran, queued (then ran), preempted (stopped by a prompt, then ran), expired, refused.', labelNames: ['schedule'] as const, registers: [registry] });
  const preemptions = new Counter({ name: 'mallex_local_preemptions_total', help: 'Background requests stopped on the local model because a prompt arrived.', registers: [registry] });
  const predictedWaitSeconds = new Histogram({ name: 'mallex_local_predicted_wait_seconds', help: "New prompts' predicted wait for the local model's first token.", buckets: LATENCY_BUCKETS_SECONDS, registers: [registry] });
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
      if (record.schedule) backgroundOutcomes.inc({ schedule: record.schedule });
      if (record.preemptions) preemptions.inc(record.preemptions);
      if (record.predictedWaitMs != null && Number.isFinite(record.predictedWaitMs)) predictedWaitSeconds.observe(record.predictedWaitMs / 1000);
    },
    /** The local scheduler's counts, on every change. */
    setLocalSchedule(counts: { runningForeground: number; runningBackground: number; queuedBackground: number }): void {
      localRunning.set({ priority: 'foreground' }, counts.runningForeground);
      localRunning.set({ priority: 'background' }, counts.runningBackground);
      localInFlight.set(counts.runningForeground + counts.runningBackground);
      backgroundQueued.set(counts.queuedBackground);
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
