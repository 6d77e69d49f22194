import fs from 'node:fs';
import path from 'node:path';
import { homePaths } from '../../lib/paths.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { startFakeModelServer, type FakeModelServer, type FakeModelServerOptions, type FakeRequestRecord } from '../fakes/fake-model-server.js';
import { createModelResponder, readRequestPurpose, type ModelScript } from './model-script.js';
import { readProcessMemory, type ProcessMemory } from './process-memory.js';
import { runMallex } from './run-cli.js';
import { createTempHome, type TempHome } from './temp-home.js';

// The whole stack as a user runs it: `mallex up` under a throwaway
// MALLEX_HOME and PM2_HOME, the real pm2 and the four real services, with only
// the model (a fake mlx-lm.server, watched in external mode) and Anthropic
// (a fake API behind claude.baseUrl) replaced.

/** A small model id: the small tier's budgets and the Qwen2.5 text tool-call format apply. */
export const LOCAL_MODEL_ID = 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit';

export interface ServiceState {
  service: string;
  processName: string;
  state: string;
  pid: number | null;
  port: number;
  restarts: number;
}

export interface StackStatusJson {
  services: ServiceState[];
  localModel: { state: string; message?: string } | null;
}

export interface MallexStack {
  temp: TempHome;
  /** The current fake model server (a new object after restartModel). */
  readonly model: FakeModelServer;
  anthropic: FakeAnthropicServer;
  gatewayUrl: string;
  clientToken: string;
  /** Replaces how the fake model answers from now on. */
  setScript(script: ModelScript): void;
  /** Claude Code's turns the model received (no probes, no classifications), from the current fake. */
  generations(): FakeRequestRecord[];
  classifications(): FakeRequestRecord[];
  /** Stops the fake model server (its connections are cut) and starts a fresh one on the same port. */
  stopModel(): Promise<void>;
  startModel(): Promise<void>;
  readStatus(): Promise<StackStatusJson>;
  /** Waits (bounded) until the mlx-manager reports the local model ready. */
  waitForLocalReady(timeoutMs?: number): Promise<void>;
  /** Every service online in pm2 and answering GET /health; the failures otherwise. */
  findUnhealthyServices(): Promise<string[]>;
  readMemory(): Promise<Array<ProcessMemory & { service: string }>>;
  stop(): Promise<void>;
}

export interface MallexStackOptions {
  script?: ModelScript;
  /** Extra config.yaml keys (top level, merged over the stack's own). */
  config?: Record<string, unknown>;
  /** Extra environment for `mallex up` (and so for pm2 and the services), e.g. NODE_OPTIONS for profiling. */
  env?: NodeJS.ProcessEnv;
  /** Model mlx-lm's prompt cache in the fake model server (test/fakes/prompt-cache-model.ts). */
  promptCache?: { maxEntries: number };
  /** How the fake model server behaves: `serial` (one request at a time, as mlx-lm.server) and its prefill speed. */
  model?: Pick<FakeModelServerOptions, 'serial' | 'prefillCharsPerSecond'>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function isHealthy(port: number, name: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok && ((await response.json()) as { name?: string }).name === name;
  } catch {
    return false;
  }
}

/** `mallex status --json` of the stack in `temp`. */
export async function readStackStatus(temp: TempHome): Promise<StackStatusJson> {
  const status = await runMallex(['status', '--json'], { env: temp.env });
  if (status.code !== 0) throw new Error(`mallex status failed: ${status.stderr}`);
  return JSON.parse(status.stdout) as StackStatusJson;
}

/** Waits (bounded) until the mlx-manager reports the local model in `state`; resolves with that status. */
export async function waitForLocalState(temp: TempHome, state: string, timeoutMs = 20_000): Promise<NonNullable<StackStatusJson['localModel']>> {
  const deadline = Date.now() + timeoutMs;
  let last: StackStatusJson['localModel'] = null;
  while (Date.now() < deadline) {
    last = (await readStackStatus(temp)).localModel;
    if (last?.state === state) return last;
    await sleep(250);
  }
  throw new Error(`the local model was not ${state} within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/** Every service online in pm2 and answering GET /health; the failures otherwise. */
export async function findUnhealthyServices(temp: TempHome): Promise<string[]> {
  const status = await readStackStatus(temp);
  const problems: string[] = [];
  for (const service of status.services) {
    if (service.state !== 'online') problems.push(`${service.processName} is ${service.state}`);
    else if (!(await isHealthy(service.port, service.service))) problems.push(`${service.processName} does not answer /health`);
  }
  return problems;
}

/** RSS and PSS of each running service. */
export async function readStackMemory(temp: TempHome): Promise<Array<ProcessMemory & { service: string }>> {
  const status = await readStackStatus(temp);
  return status.services.flatMap((service) => {
    const memory = service.pid === null ? null : readProcessMemory(service.pid);
    return memory ? [{ service: service.service, ...memory }] : [];
  });
}

export async function startMallexStack(options: MallexStackOptions = {}): Promise<MallexStack> {
  let script = options.script ?? {};
  const respond = createModelResponder(() => script);
  const modelOptions = { ...(options.promptCache ? { promptCache: options.promptCache } : {}), ...options.model };
  let model = await startFakeModelServer({ modelId: LOCAL_MODEL_ID, respond, ...modelOptions });
  const modelPort = model.port;
  const anthropic = await startFakeAnthropicServer();
  const temp = await createTempHome({
    model: LOCAL_MODEL_ID,
    onExitServer: 'keep',
    backend: { kind: 'openai', url: `${model.url}/v1`, vision: false },
    claude: { baseUrl: anthropic.url },
    debug: { dumps: false },
    ...options.config,
  });
  Object.assign(temp.env, options.env);

  const stack: MallexStack = {
    temp,
    get model() {
      return model;
    },
    anthropic,
    gatewayUrl: `http://127.0.0.1:${temp.ports.proxy}`,
    clientToken: '',
    setScript: (next) => void (script = next),
    generations: () => model.requests.filter((request) => request.body && readRequestPurpose(request.body) === 'generation'),
    classifications: () => model.requests.filter((request) => request.body && readRequestPurpose(request.body) === 'classification'),
    stopModel: () => model.close(),
    async startModel() {
      model = await startFakeModelServer({ modelId: LOCAL_MODEL_ID, respond, port: modelPort, ...modelOptions });
    },
    readStatus: () => readStackStatus(temp),
    waitForLocalReady: async (timeoutMs) => void (await waitForLocalState(temp, 'ready', timeoutMs)),
    findUnhealthyServices: () => findUnhealthyServices(temp),
    readMemory: () => readStackMemory(temp),
    async stop() {
      await runMallex(['down'], { env: temp.env, timeoutMs: 30_000 }).catch(() => undefined);
      await model.close();
      await anthropic.close();
      temp.remove();
    },
  };

  try {
    const up = await runMallex(['up'], { env: temp.env, timeoutMs: 60_000 });
    if (up.code !== 0) throw new Error(`mallex up failed (${up.code}): ${up.stderr}`);
    stack.clientToken = fs.readFileSync(homePaths(temp.home).token, 'utf8').trim();
    await stack.waitForLocalReady();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Headers of a client that went through `mallex` (the token) with Claude Code's own key. */
export function createGatewayHeaders(stack: { clientToken: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': 'sk-ant-test-reliability',
    'x-mallex-token': stack.clientToken,
    ...extra,
  };
}

/** A path under the stack's temporary root (next to MALLEX_HOME). */
export function resolveStackPath(stack: MallexStack, ...parts: string[]): string {
  return path.join(path.dirname(stack.temp.home), ...parts);
}
