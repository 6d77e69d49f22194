import fs from 'node:fs';
import os from 'node:os';
import { resolveChatCompletionsEndpoint } from '../../lib/model-server/chat-completions-endpoint.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import { DEFAULT_TIMINGS, waitFor, type BackendSupervisor, type SupervisorTimings } from './backend-supervisor.js';
import { decideAfterFailure } from './decisions/backoff.js';
import { computeCacheLimit, computeServerLimits } from './decisions/cache-limit.js';
import { classifyServerLogLine } from './decisions/classify-server-log-line.js';
import { describeForeignListener, describeGivingUp, describeRestart, formatSeconds } from './decisions/describe-failure.js';
import { computeDownloadPercent, reduceDownloadProgress } from './decisions/download-progress.js';
import { decideIdleStop, decideLivenessProbe } from './decisions/schedule.js';
import { buildServerArguments } from './decisions/server-arguments.js';
import { probeWorkingSet } from './process/device-probe.js';
import { probeGeneration } from './process/generation-probe.js';
import { checkListener } from './process/identity-check.js';
import { ensureMlxInstalled, InstallError } from './process/install-mlx.js';
import { findOwnServerPid } from './process/process-identity.js';
import { listServerFiles, type ServerFiles } from './process/server-files.js';
import { ServerLog } from './process/server-log.js';
import { adoptServerProcess, spawnServerProcess, type ServerProcess } from './process/server-process.js';
import { waitForReadiness } from './process/wait-for-readiness.js';
import { writeWrapperIfChanged } from './process/wrapper-script.js';
import { ServerRun } from './server-run.js';
import { isFailureReason, type FailureReason, type LastExit, type ServerStatus } from './server-status.js';
import { SupervisorStatus } from './supervisor-status.js';

type RunOutcome = { kind: 'blocked'; message: string } | { kind: 'ended'; exit: LastExit; lastLines: string[] };

/**
 * Managed mode (`backend.kind: mlx`): installs mlx-lm into $MALLEX_HOME/venv,
 * runs mlx-lm.server under the cache-limit wrapper, and keeps it healthy:
 * stopped → installing → starting → (downloading) → loading → ready, with
 * crashed/failed/idle-stopped. Every decision is a pure function in
 * decisions/; this class only wires them to processes and timers.
 */
export class ManagedSupervisor implements BackendSupervisor {
  private readonly status: SupervisorStatus;
  private readonly files: ServerFiles;
  private readonly timings: SupervisorTimings;
  private readonly log: ServerLog;
  private lifecycle: { controller: AbortController; done: Promise<void> } | null = null;
  private run: ServerRun | null = null;
  private consecutiveFailures = 0;
  private oomCount = 0;
  private inFlight = 0;
  private lastActivityAt: number;
  private baseCacheLimitBytes: number | null = null;

  constructor(
    private readonly config: MallexConfig,
    home: string,
    { timings = {}, now = Date.now }: { timings?: Partial<SupervisorTimings>; now?: () => number } = {},
  ) {
    this.now = now;
    this.files = listServerFiles(home);
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
    this.log = new ServerLog(this.files.serverLog, this.files.previousServerLog, config.mlx.logMaxBytes);
    this.lastActivityAt = now();
    this.status = new SupervisorStatus({ model: config.model, port: config.serverPort, now, message: 'not started yet' });
  }

  private readonly now: () => number;

  readStatus = (): ServerStatus => this.status.read();
  subscribe = (listener: (status: ServerStatus) => void) => this.status.subscribe(listener);

  start(): ServerStatus {
    if (this.lifecycle) return this.readStatus();
    this.consecutiveFailures = 0;
    const controller = new AbortController();
    const done = this.runLifecycle(controller.signal)
      .catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', service: 'mlx-manager', msg: 'supervisor failed', error: String((error as Error)?.stack ?? error) }));
        if (!controller.signal.aborted) this.status.set('failed', { message: `the mlx-manager failed unexpectedly: ${(error as Error).message}`, pid: null });
      })
      .finally(() => {
        if (this.lifecycle?.controller === controller) this.lifecycle = null;
      });
    this.lifecycle = { controller, done };
    return this.readStatus();
  }

  async stop(): Promise<ServerStatus> {
    await this.halt();
    this.status.set('stopped', { message: 'stopped on request; the next local request starts it again', pid: null });
    return this.readStatus();
  }

  async restart(): Promise<ServerStatus> {
    await this.halt();
    return this.start();
  }

  reportActivity(inFlight: number): ServerStatus {
    this.inFlight = inFlight;
    this.lastActivityAt = this.now();
    const { state } = this.status.read();
    if (!this.lifecycle && (state === 'idle-stopped' || state === 'stopped')) return this.start();
    return this.readStatus();
  }

  async shutdown(): Promise<void> {
    await this.halt();
    this.log.close();
  }

  /** Ends the lifecycle and the server process; the caller sets the state that follows. */
  private async halt(): Promise<void> {
    const lifecycle = this.lifecycle;
    lifecycle?.controller.abort();
    const run = this.run;
    if (run) {
      run.fail('stopped');
      this.status.recordExit(await run.finish());
    }
    await lifecycle?.done;
  }

  private async runLifecycle(signal: AbortSignal): Promise<void> {
    const python = await this.prepare(signal);
    while (python && !signal.aborted) {
      const outcome = await this.runServerOnce(python, signal);
      if (signal.aborted) return;
      if (outcome.kind === 'blocked') return this.status.set('failed', { message: outcome.message, pid: null });
      const { reason } = outcome.exit;
      if (reason === 'idle-stopped') {
        const idle = formatSeconds(this.config.idleTimeoutMinutes * 60_000);
        return this.status.set('idle-stopped', { message: `stopped after ${idle} without a local request, to give the memory back; the next local request starts it again`, pid: null });
      }
      if (reason === 'stopped-outside') {
        return this.status.set('stopped', { message: 'stopped by `mallex server stop`; the next local request starts it again', pid: null });
      }
      if (!isFailureReason(reason) || !(await this.handleFailure(reason, outcome.lastLines, signal))) return;
    }
  }

  /** Installs when needed, writes the wrapper, works out the cache limit. Null: failed (state set) or aborted. */
  private async prepare(signal: AbortSignal): Promise<string | null> {
    this.status.set('installing', { message: 'checking the Python environment', pid: null });
    try {
      const python = await ensureMlxInstalled({ config: this.config, files: this.files, signal, onStep: (message) => this.status.set('installing', { message }) });
      writeWrapperIfChanged(this.files.wrapper);
      if (this.baseCacheLimitBytes === null) {
        const configured = this.config.mlx.cacheLimitBytes;
        const workingSet = configured === null ? await probeWorkingSet({ python, wrapperPath: this.files.wrapper, signal }) : null;
        this.baseCacheLimitBytes = computeCacheLimit({ configuredBytes: configured, workingSetBytes: workingSet, physicalMemoryBytes: os.totalmem() });
      }
      return signal.aborted ? null : python;
    } catch (error) {
      if (signal.aborted) return null;
      if (!(error instanceof InstallError)) throw error;
      this.status.set('failed', { message: error.message, details: error.details, pid: null });
      return null;
    }
  }

  private async runServerOnce(python: string, signal: AbortSignal): Promise<RunOutcome> {
    const { model, serverPort: port } = this.config;
    const identity = await checkListener({ port, model });
    // Lines are read from the next event-loop turn on; the run exists by then.
    const lineTarget: { run: ServerRun | null } = { run: null };
    let server: ServerProcess;
    switch (identity.kind) {
      case 'other-model':
      case 'unknown':
        return {
          kind: 'blocked',
          message: describeForeignListener({ port, model, servedModels: identity.kind === 'other-model' ? identity.models : null, configPath: this.files.config }),
        };
      case 'same-model': {
        const pid = await findOwnServerPid(this.files.pid, this.files.wrapper);
        server = adoptServerProcess({ pid, pollMs: this.timings.tickMs });
        this.status.set('loading', { message: `reusing the mlx-lm.server that already serves ${model} on port ${port}`, pid });
        break;
      }
      case 'free':
        server = this.spawnServer(python, (line) => lineTarget.run && this.handleLine(lineTarget.run, line));
        break;
      default: {
        const unknown: never = identity;
        throw new Error(`unknown listener ${JSON.stringify(unknown)}`);
      }
    }
    const run = new ServerRun(server, this.files, this.timings.killGraceMs, this.now);
    lineTarget.run = run;
    this.run = run;
    if (!signal.aborted && (await this.waitUntilReady(run, signal))) {
      this.status.set('ready', { message: `serving ${model} on 127.0.0.1:${port}` });
      await this.watchWhileReady(run, signal);
    }
    const exit = await run.finish();
    if (this.run === run) this.run = null;
    this.status.recordExit(exit);
    return { kind: 'ended', exit, lastLines: [...run.lastLines] };
  }

  private spawnServer(python: string, onLine: (line: string) => void): ServerProcess {
    const limits = computeServerLimits({ baseCacheLimitBytes: this.baseCacheLimitBytes!, basePromptCacheSize: this.config.mlx.promptCacheSize, oomCount: this.oomCount });
    this.log.startNew();
    const args = buildServerArguments({
      wrapperPath: this.files.wrapper,
      cacheLimitBytes: limits.cacheLimitBytes,
      model: this.config.model,
      port: this.config.serverPort,
      promptCacheSize: limits.promptCacheSize,
      extraArgs: this.config.mlx.extraArgs,
    });
    const server = spawnServerProcess({ python, args, log: this.log, onLine });
    if (server.pid !== null) fs.writeFileSync(this.files.pid, `${server.pid}\n`, { mode: 0o600 });
    const gigabytes = (limits.cacheLimitBytes / 1024 ** 3).toFixed(2);
    this.status.set('starting', { message: `starting mlx-lm.server with ${this.config.model} (cache limit ${gigabytes} GiB, prompt cache ${limits.promptCacheSize})`, pid: server.pid });
    return server;
  }

  private handleLine(run: ServerRun, line: string): void {
    run.noteLine(line);
    const signal = classifyServerLogLine(line);
    const { state } = this.status.read();
    const starting = state === 'starting' || state === 'loading' || state === 'downloading';
    switch (signal.kind) {
      case 'oom':
        run.sawOomLine = true;
        run.failAfter('oom', this.timings.oomExitWaitMs);
        break;
      case 'generation-thread-died':
        run.failAfter('generation-thread-died', this.timings.threadDeathGraceMs);
        break;
      case 'httpd-started':
        if (state === 'starting') this.status.set('loading', { message: `mlx-lm.server is listening; loading ${this.config.model}` });
        break;
      case 'download-progress': {
        if (!starting) break;
        run.download = reduceDownloadProgress(run.download, signal.bar);
        const percent = computeDownloadPercent(run.download);
        if (percent !== null && percent < 100) this.status.set('downloading', { message: `downloading ${this.config.model}`, progress: percent });
        else this.status.set('loading', { message: `loading ${this.config.model}` });
        break;
      }
      case 'none':
        break;
      default: {
        const unknown: never = signal;
        throw new Error(`unknown log signal ${JSON.stringify(unknown)}`);
      }
    }
  }

  private get endpoint() {
    return resolveChatCompletionsEndpoint(this.config);
  }

  /** False: the run ended, timed out (run.fail called) or the lifecycle was stopped. */
  private async waitUntilReady(run: ServerRun, signal: AbortSignal): Promise<boolean> {
    const outcome = await waitForReadiness({
      endpoint: this.endpoint,
      deadline: this.now() + this.config.mlx.startTimeoutSeconds * 1000,
      retryMs: this.timings.readinessRetryMs,
      now: this.now,
      signal,
      ended: run.ended,
    });
    if (outcome === 'timeout') run.fail('start-timeout');
    return outcome === 'ready';
  }

  /** Idle stop and liveness probes until the run ends. */
  private async watchWhileReady(run: ServerRun, signal: AbortSignal): Promise<void> {
    const readyAt = this.now();
    this.lastActivityAt = Math.max(this.lastActivityAt, readyAt);
    let lastProbeAt = readyAt;
    const ended = run.ended.then(() => 'ended' as const);
    while (!signal.aborted) {
      const next = await Promise.race([waitFor(this.timings.tickMs, signal), ended]);
      if (next === 'ended' || signal.aborted) return;
      const now = this.now();
      if (now - readyAt >= this.timings.stableAfterMs) this.consecutiveFailures = 0;
      const idleTimeoutMs = this.config.idleTimeoutMinutes * 60_000;
      if (decideIdleStop({ idleTimeoutMs, inFlight: this.inFlight, lastActivityAt: this.lastActivityAt, now })) return run.fail('idle-stopped');
      if (!decideLivenessProbe({ intervalMs: this.config.mlx.livenessIntervalSeconds * 1000, inFlight: this.inFlight, lastProbeAt, now })) continue;
      lastProbeAt = now;
      const result = await probeGeneration({ endpoint: this.endpoint, timeoutMs: this.config.mlx.livenessTimeoutSeconds * 1000, signal });
      // A request that arrived during the probe may have delayed it; that is no hang.
      if (!result.ok && result.kind !== 'aborted' && this.inFlight === 0 && run.server.isRunning()) return run.fail('hang');
    }
  }

  /** Crashed → restart after the backoff, or failed after too many in a row. False: stop the lifecycle. */
  private async handleFailure(reason: FailureReason, lastLines: string[], signal: AbortSignal): Promise<boolean> {
    this.consecutiveFailures += 1;
    if (reason === 'oom') this.oomCount += 1;
    const { maxRestarts, startTimeoutSeconds } = this.config.mlx;
    const decision = decideAfterFailure({
      consecutiveFailures: this.consecutiveFailures,
      maxRestarts,
      policy: { baseMs: this.timings.backoffBaseMs, capMs: this.timings.backoffCapMs },
    });
    const details = lastLines.slice(-10);
    if (decision.action === 'fail') {
      this.status.set('failed', { message: describeGivingUp({ reason, attempts: decision.attempts, logPath: this.files.serverLog, startTimeoutSeconds }), details, pid: null });
      return false;
    }
    this.status.set('crashed', {
      message: describeRestart({ reason, delayMs: decision.delayMs, attempt: decision.attempt, maxRestarts, startTimeoutSeconds }),
      details,
      pid: null,
    });
    if (!(await waitFor(decision.delayMs, signal))) return false;
    this.status.countRestart(reason);
    return true;
  }
}
