import http from 'node:http';
import { percentile, runConcurrently, sendStreaming, type StreamResult } from '../helpers/stream-client.js';

// Time to first token and throughput, the whole stack against the model
// server called directly, on one workload (a request body in both dialects).

export interface Workload {
  name: string;
  /** What Claude Code sends to the gateway (Anthropic Messages, streamed). */
  anthropicBody: string;
  /** What the stack sent the model for it: the direct path sends the same. */
  openaiBody: string;
  /** Headers of its own for the stack path (a session of its own); default PathEndpoints.stackHeaders. */
  stackHeaders?: Record<string, string>;
}

export interface PathEndpoints {
  stackUrl: string;
  stackHeaders: Record<string, string>;
  directUrl: string;
  /** The text of the model's first token, the TTFT marker on both paths. */
  marker: string;
}

export interface Distribution {
  p50: number;
  p99: number;
}

export interface LatencyResult {
  direct: Distribution;
  stack: Distribution;
  /** Stack minus direct. */
  added: Distribution;
  /** Sequential runs only: the per-round difference (same moment, same load). */
  pairedAdded?: Distribution;
  /** Concurrent runs only. */
  requestsPerSecond?: { direct: number; stack: number; ratio: number };
  errors: string[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function summarize(values: number[]): Distribution {
  return { p50: round2(percentile(values, 0.5)), p99: round2(percentile(values, 0.99)) };
}

function collectError(result: StreamResult, path: 'stack' | 'direct', errors: string[]): number | null {
  const problem =
    result.status !== 200 ? `status ${result.status} ${result.errorText ?? ''}` : path === 'stack' && result.route !== 'local' ? `route ${result.route}` : result.ttftMs === null ? 'no first token' : null;
  if (problem) errors.push(`${path}: ${problem}`);
  return problem ? null : result.ttftMs;
}

function createSenders(workload: Workload, endpoints: PathEndpoints, agent: http.Agent) {
  return {
    stack: () => sendStreaming({ url: endpoints.stackUrl, body: workload.anthropicBody, headers: workload.stackHeaders ?? endpoints.stackHeaders, marker: endpoints.marker, agent }),
    // The model server closes every connection (HTTP/1.0, PROTOCOL.md A2): a new one each time, as the translator opens.
    direct: () => sendStreaming({ url: endpoints.directUrl, body: workload.openaiBody, marker: endpoints.marker }),
  };
}

/** One request at a time, the two paths interleaved and their order alternated, so drift hits both alike. */
export async function measureSequential(workload: Workload, endpoints: PathEndpoints, { rounds, warmUp }: { rounds: number; warmUp: number }): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = createSenders(workload, endpoints, agent);
  const direct: number[] = [];
  const stack: number[] = [];
  const paired: number[] = [];
  const errors: string[] = [];
  for (let round = 0; round < warmUp + rounds; round++) {
    const [first, second] = round % 2 === 0 ? (['direct', 'stack'] as const) : (['stack', 'direct'] as const);
    const results = { [first]: await send[first](), [second]: await send[second]() } as Record<'direct' | 'stack', StreamResult>;
    if (round < warmUp) continue;
    const directMs = collectError(results.direct, 'direct', errors);
    const stackMs = collectError(results.stack, 'stack', errors);
    if (directMs === null || stackMs === null) continue;
    direct.push(directMs);
    stack.push(stackMs);
    paired.push(stackMs - directMs);
  }
  agent.destroy();
  const directSummary = summarize(direct);
  const stackSummary = summarize(stack);
  return {
    direct: directSummary,
    stack: stackSummary,
    added: { p50: round2(stackSummary.p50 - directSummary.p50), p99: round2(stackSummary.p99 - directSummary.p99) },
    pairedAdded: summarize(paired),
    errors,
  };
}

/** `clients` concurrent loops; the paths take turns in `phases` slices so that neither gets only the quiet or only the busy minute. */
export async function measureConcurrent(workload: Workload, endpoints: PathEndpoints, { total, clients, phases }: { total: number; clients: number; phases: number }): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const send = createSenders(workload, endpoints, agent);
  const ttft = { direct: [] as number[], stack: [] as number[] };
  const wallMs = { direct: 0, stack: 0 };
  const done = { direct: 0, stack: 0 };
  const errors: string[] = [];
  const perPhase = Math.ceil(total / phases);
  await runConcurrently(clients * 2, clients, () => send.stack()); // warm the stack's connections and code
  for (let phase = 0; phase < phases; phase++) {
    for (const path of phase % 2 === 0 ? (['direct', 'stack'] as const) : (['stack', 'direct'] as const)) {
      const run = await runConcurrently(perPhase, clients, () => send[path]());
      wallMs[path] += run.wallMs;
      done[path] += run.results.length;
      for (const result of run.results) {
        const value = collectError(result, path, errors);
        if (value !== null) ttft[path].push(value);
      }
    }
  }
  agent.destroy();
  const direct = summarize(ttft.direct);
  const stack = summarize(ttft.stack);
  const perSecond = (path: 'direct' | 'stack') => Math.round(done[path] / (wallMs[path] / 1000));
  return {
    direct,
    stack,
    added: { p50: round2(stack.p50 - direct.p50), p99: round2(stack.p99 - direct.p99) },
    requestsPerSecond: { direct: perSecond('direct'), stack: perSecond('stack'), ratio: round2(perSecond('stack') / perSecond('direct')) },
    errors,
  };
}
