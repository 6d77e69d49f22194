import { resolveChatCompletionsEndpoint } from '../../lib/model-server/chat-completions-endpoint.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import { AnthropicHttpError } from '../../lib/http/anthropic-error.js';
import { DEFAULT_TIMINGS, waitFor, type BackendSupervisor, type SupervisorTimings } from './backend-supervisor.js';
import { probeGeneration } from './process/generation-probe.js';
import type { ServerStatus } from './server-status.js';
import { SupervisorStatus } from './supervisor-status.js';

function readPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}

/**
 * External mode (`backend.kind: openai`): an OpenAI-compatible server mallex
 * does not run (llama.cpp, Ollama, LM Studio, vLLM). The same one-token
 * probe as managed mode decides `ready` or `unreachable`, so the gateway
 * routes around it the same way.
 */
export class ExternalWatcher implements BackendSupervisor {
  private readonly status: SupervisorStatus;
  private readonly timings: SupervisorTimings;
  private controller: AbortController | null = null;
  private wake: AbortController = new AbortController();
  private inFlight = 0;

  constructor(
    private readonly config: MallexConfig,
    { timings = {}, now = Date.now }: { timings?: Partial<SupervisorTimings>; now?: () => number } = {},
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
    this.status = new SupervisorStatus({
      model: config.model,
      port: readPort(config.backend.url),
      now,
      state: 'unreachable',
      message: `not checked yet: ${config.backend.url}`,
    });
  }

  readStatus = (): ServerStatus => this.status.read();
  subscribe = (listener: (status: ServerStatus) => void) => this.status.subscribe(listener);

  start(): ServerStatus {
    if (!this.controller) {
      this.controller = new AbortController();
      void this.watch(this.controller.signal);
    }
    return this.readStatus();
  }

  stop(): Promise<ServerStatus> {
    return Promise.reject(
      new AnthropicHttpError(409, `backend.kind is openai: mallex only watches ${this.config.backend.url} and does not start or stop it`),
    );
  }

  /** Probes again now. */
  async restart(): Promise<ServerStatus> {
    this.start();
    this.wake.abort();
    return this.readStatus();
  }

  reportActivity(inFlight: number): ServerStatus {
    this.inFlight = inFlight;
    return this.readStatus();
  }

  async shutdown(): Promise<void> {
    this.controller?.abort();
    this.controller = null;
  }

  private async watch(signal: AbortSignal): Promise<void> {
    const { url } = this.config.backend;
    while (!signal.aborted) {
      // Probing takes the server's decode slot; skip it while requests are in flight.
      if (this.inFlight === 0) {
        const result = await probeGeneration({ endpoint: resolveChatCompletionsEndpoint(this.config), timeoutMs: this.config.mlx.livenessTimeoutSeconds * 1000, signal });
        if (signal.aborted) return;
        if (result.ok) this.status.set('ready', { message: `${url} answers with ${this.config.model}` });
        else this.status.set('unreachable', { message: `${url} did not generate a token (${result.detail}); mallex routes around it until it does` });
      }
      const ready = this.status.read().state === 'ready';
      const delayMs = ready ? this.config.mlx.livenessIntervalSeconds * 1000 : Math.min(this.timings.unreachableRetryMs, this.config.mlx.livenessIntervalSeconds * 1000);
      this.wake = new AbortController();
      await waitFor(delayMs, AbortSignal.any([signal, this.wake.signal]));
    }
  }
}
