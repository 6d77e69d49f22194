import type { FailureReason } from '../server-status.js';

// The sentences a person reads in `mallex status` when something went wrong:
// what happened, in plain words, and what to do next.

const OTHER_SERVERS = 'llama.cpp, Ollama, LM Studio or vLLM';

function describeFailureReason(reason: FailureReason, startTimeoutSeconds: number): string {
  switch (reason) {
    case 'crash':
      return 'mlx-lm.server exited unexpectedly';
    case 'oom':
      return 'mlx-lm.server ran out of GPU memory (Metal out-of-memory abort)';
    case 'generation-thread-died':
      return "mlx-lm.server's generation thread died while its HTTP server stayed up";
    case 'hang':
      return 'mlx-lm.server stopped answering (a one-token test generation timed out)';
    case 'start-timeout':
      return `mlx-lm.server did not finish loading the model within mlx.startTimeoutSeconds (${startTimeoutSeconds} s)`;
    default: {
      const unknown: never = reason;
      throw new Error(`unknown failure reason ${String(unknown)}`);
    }
  }
}

export function describeRestart({ reason, delayMs, attempt, maxRestarts, startTimeoutSeconds }: {
  reason: FailureReason;
  delayMs: number;
  attempt: number;
  maxRestarts: number;
  startTimeoutSeconds: number;
}): string {
  const smaller = reason === 'oom' ? ' with a smaller cache limit and prompt cache' : '';
  return `${describeFailureReason(reason, startTimeoutSeconds)}; restarting in ${formatSeconds(delayMs)}${smaller} (restart ${attempt} of ${maxRestarts}).`;
}

export function describeGivingUp({ reason, attempts, logPath, startTimeoutSeconds }: {
  reason: FailureReason;
  attempts: number;
  logPath: string;
  startTimeoutSeconds: number;
}): string {
  const advice = reason === 'oom' ? 'choose a smaller model (config `model`) or lower `mlx.cacheLimitBytes`' : 'see what it printed';
  return (
    `${describeFailureReason(reason, startTimeoutSeconds)} ${attempts === 1 ? 'and mlx.maxRestarts is 0' : `${attempts} times in a row`}, ` +
    `so mallex stopped restarting it: ${advice} in ${logPath} (and server.prev.log), then run \`mallex server restart\`.`
  );
}

/** The one sentence for a machine where mlx-lm cannot be installed. */
export function describeInstallFailure({ packageSpec, pipError, platform, arch, configPath }: {
  packageSpec: string;
  pipError: string;
  platform: string;
  arch: string;
  configPath: string;
}): string {
  const otherServer = `to use another local server such as ${OTHER_SERVERS}, set \`backend.kind: openai\` and \`backend.url\` in ${configPath}.`;
  if (platform === 'darwin' && arch === 'arm64') {
    return `${packageSpec} could not be installed (pip: ${pipError}); check the network and \`mlx.pipArgs\`, or ${otherServer}`;
  }
  return `${packageSpec} could not be installed (pip: ${pipError}), and mallex runs MLX only on Apple Silicon Macs, not on this ${platform}/${arch} machine; ${otherServer}`;
}

export function describeNoPython({ tried, configured, configPath }: { tried: string[]; configured: string | null; configPath: string }): string {
  const what = configured ? `mlx.python (${configured}) is not a working Python 3.10 or newer` : `no Python 3.10 or newer was found (tried ${tried.join(', ')})`;
  return (
    `${what}; install one (e.g. \`brew install python@3.12\`) or set \`mlx.python\` in ${configPath}, ` +
    `or set \`backend.kind: openai\` to use another local server such as ${OTHER_SERVERS}.`
  );
}

export function describeForeignListener({ port, model, servedModels, configPath }: {
  port: number;
  model: string;
  /** null: it does not answer GET /v1/models at all. */
  servedModels: string[] | null;
  configPath: string;
}): string {
  const what = servedModels === null
    ? `another program that does not answer GET /v1/models like mlx-lm.server`
    : `a server that serves ${servedModels.length ? servedModels.join(', ') : 'no model'} instead of ${model}`;
  return `port ${port} is already used by ${what}; stop it or set \`serverPort\` in ${configPath} (or point \`backend.kind: openai\` at it).`;
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds < 10 ? Number(seconds.toFixed(1)) : Math.round(seconds)} s`;
}
