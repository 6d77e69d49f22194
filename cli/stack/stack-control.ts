import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MallexConfig } from '../../lib/config/schema.js';
import { requestJson } from '../../lib/http/send-request.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import { createRandomToken } from '../../lib/security/client-token.js';
import { createPm2AppOptions, createServiceEnvironment, listServiceDefinitions, type ServiceDefinition } from '../../lib/stack/service-definitions.js';
import { pm2Client, withPm2, type Pm2Process } from './pm2-client.js';

const HEALTH_TIMEOUT_MS = 15_000;

/** Why `mallex up` could not bring a service up, with the evidence. */
export class StackStartError extends Error {
  override name = 'StackStartError';
}

function isMallexProcess(process: Pm2Process): boolean {
  return typeof process.name === 'string' && process.name.startsWith('mallex-');
}

function readProcessEnv(process: Pm2Process | undefined, key: string): string | undefined {
  const env = process?.pm2_env as Record<string, unknown> | undefined;
  const value = env?.[key] ?? (env?.env as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

export async function isServiceHealthy(definition: ServiceDefinition, timeoutMs = 1000): Promise<boolean> {
  try {
    const health = await requestJson<{ name?: string }>(`http://127.0.0.1:${definition.port}/health`, { timeoutMs });
    return health.name === definition.key;
  } catch {
    return false;
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function readLogTail(filePath: unknown, lines = 8): string {
  if (typeof filePath !== 'string') return '';
  try {
    return fs.readFileSync(filePath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface StartResult {
  started: string[];
  adopted: string[];
  internalToken: string;
}

/**
 * Starts the four services under pm2, or adopts the ones already running and
 * healthy, then waits until every one answers /health. Running it twice is harmless.
 */
export async function startStack(config: MallexConfig, home: string): Promise<StartResult> {
  const definitions = listServiceDefinitions(config);
  return withPm2(async () => {
    const running = (await pm2Client.list()).filter(isMallexProcess);
    const byName = new Map(running.map((process) => [process.name, process]));
    const internalToken = running.map((process) => readProcessEnv(process, 'MALLEX_INTERNAL_TOKEN')).find(Boolean) ?? createRandomToken();
    const environment = createServiceEnvironment(home, internalToken, config);
    const started: string[] = [];
    const adopted: string[] = [];

    for (const definition of definitions) {
      const existing = byName.get(definition.processName);
      // Adopt a running service only if it runs with this home, this exact config and the same API key.
      const sameSetup = (['MALLEX_HOME', 'MALLEX_CONFIG_JSON', 'MALLEX_CLAUDE_KEY_ID'] as const).every((key) => readProcessEnv(existing, key) === environment[key]);
      if (existing?.pm2_env?.status === 'online' && sameSetup && (await isServiceHealthy(definition))) {
        adopted.push(definition.processName);
        continue;
      }
      if (existing) await pm2Client.delete(definition.processName);
      if (!(await isPortFree(definition.port))) {
        throw new StackStartError(
          `port ${definition.port} (${definition.key}) is already in use by another program; ` +
            `free it or choose another port in ${home}/config.yaml`,
        );
      }
      await pm2Client.start(createPm2AppOptions(definition, environment));
      started.push(definition.processName);
    }

    await waitForHealth(definitions);
    return { started, adopted, internalToken };
  });
}

async function waitForHealth(definitions: ServiceDefinition[]): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let pending = definitions;
  while (pending.length && Date.now() < deadline) {
    const healthy = await Promise.all(pending.map((definition) => isServiceHealthy(definition, 500)));
    pending = pending.filter((_, index) => !healthy[index]);
    if (pending.length) await sleep(100);
  }
  if (!pending.length) return;
  const processes = await pm2Client.list();
  const details = pending.map((definition) => {
    const process = processes.find((candidate) => candidate.name === definition.processName);
    const errorLog = readLogTail(process?.pm2_env?.pm_err_log_path);
    return `${definition.processName} did not answer on 127.0.0.1:${definition.port}` + (errorLog ? `; its last errors:\n${errorLog}` : '');
  });
  throw new StackStartError(details.join('\n'));
}

/** Stops and removes the mallex processes; stops pm2's daemon too when nothing else runs under it. */
export async function stopStack(config: MallexConfig): Promise<string[]> {
  const definitions = listServiceDefinitions(config);
  const removed = await withPm2(async () => {
    const running = (await pm2Client.list()).filter(isMallexProcess);
    for (const process of running) await pm2Client.delete(process.name!);
    if ((await pm2Client.list()).length === 0) await pm2Client.killDaemon();
    return running.map((process) => process.name!);
  });
  const deadline = Date.now() + 5000;
  for (const definition of definitions) {
    while (!(await isPortFree(definition.port)) && Date.now() < deadline) await sleep(50);
  }
  return removed;
}

export interface ServiceStatus {
  service: string;
  processName: string;
  state: string;
  pid: number | null;
  port: number;
  memoryBytes: number | null;
  restarts: number;
  uptimeSeconds: number | null;
}

export interface LocalModelStatus {
  state: string;
  model?: string;
  message?: string;
  [key: string]: unknown;
}

export interface StackStatus {
  services: ServiceStatus[];
  localModel: LocalModelStatus | null;
}

export async function readStackStatus(config: MallexConfig): Promise<StackStatus> {
  const definitions = listServiceDefinitions(config);
  const processes = await withPm2(() => pm2Client.list());
  const services = definitions.map((definition): ServiceStatus => {
    const process = processes.find((candidate) => candidate.name === definition.processName);
    const startedAt = process?.pm2_env?.pm_uptime;
    const online = process?.pm2_env?.status === 'online';
    return {
      service: definition.key,
      processName: definition.processName,
      state: process?.pm2_env?.status ?? 'not running',
      pid: online && process?.pid ? process.pid : null,
      port: definition.port,
      memoryBytes: online ? (process?.monit?.memory ?? null) : null,
      restarts: Number(process?.pm2_env?.restart_time ?? 0),
      uptimeSeconds: online && typeof startedAt === 'number' ? Math.round((Date.now() - startedAt) / 1000) : null,
    };
  });
  const manager = processes.find((candidate) => candidate.name === 'mallex-mlx-manager');
  const internalToken = readProcessEnv(manager, 'MALLEX_INTERNAL_TOKEN');
  let localModel: LocalModelStatus | null = null;
  if (internalToken && manager?.pm2_env?.status === 'online') {
    try {
      localModel = await requestJson<LocalModelStatus>(`http://127.0.0.1:${config.servicePorts.mlxManager}/status`, {
        headers: { [INTERNAL_TOKEN_HEADER]: internalToken },
        timeoutMs: 1500,
      });
    } catch {
      localModel = null;
    }
  }
  return { services, localModel };
}

export async function readInternalToken(): Promise<string | undefined> {
  const processes = await withPm2(() => pm2Client.list());
  return processes.map((process) => readProcessEnv(process, 'MALLEX_INTERNAL_TOKEN')).find(Boolean);
}
