import type { ChatCompletionsEndpoint } from '../../../lib/model-server/chat-completions-endpoint.js';
import { waitFor } from '../backend-supervisor.js';
import { probeGeneration } from './generation-probe.js';

/**
 * Probes until the server generates one token. While it loads, the probe
 * either cannot connect (retried after retryMs) or waits in mlx-lm's queue
 * until the deadline. Ends early when `ended` resolves (the process exited or
 * the supervisor gave up on it) or the signal aborts.
 */
export async function waitForReadiness({ endpoint, deadline, retryMs, now, signal, ended }: {
  endpoint: ChatCompletionsEndpoint;
  deadline: number;
  retryMs: number;
  now: () => number;
  signal: AbortSignal;
  ended: Promise<void>;
}): Promise<'ready' | 'timeout' | 'ended' | 'stopped'> {
  const probes = new AbortController();
  const stopProbes = () => probes.abort();
  signal.addEventListener('abort', stopProbes, { once: true });
  const probing = (async (): Promise<'ready' | 'timeout' | 'stopped'> => {
    while (!probes.signal.aborted) {
      const remaining = deadline - now();
      if (remaining <= 0) return 'timeout';
      const result = await probeGeneration({ endpoint, timeoutMs: remaining, signal: probes.signal });
      if (result.ok) return 'ready';
      if (result.kind !== 'timeout' && !(await waitFor(retryMs, probes.signal))) return 'stopped';
    }
    return 'stopped';
  })();
  try {
    return await Promise.race([probing, ended.then(() => 'ended' as const)]);
  } finally {
    probes.abort();
    signal.removeEventListener('abort', stopProbes);
  }
}
