import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { MallexConfig } from '../../lib/config/schema.js';
import { requestJson } from '../../lib/http/send-request.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import { ensureClientToken } from '../../lib/security/client-token.js';
import type { ServerStatus } from '../../services/mlx-manager/server-status.js';
import type { CliContext } from '../context.js';
import { formatTable } from '../format/table.js';
import { startStack } from '../stack/stack-control.js';

// How long `mallex up` shows the local model's install/download progress on
// a terminal before it returns. A first install or model download takes
// minutes; `mallex up` must not wait for it.
const FOLLOW_MS = 6000;
const POLL_MS = 250;

const BUSY_STATES: ReadonlySet<ServerStatus['state']> = new Set(['installing', 'starting', 'downloading', 'loading', 'crashed']);

/** One line about the local model; `final` adds where to watch a start that is still going. */
export function formatLocalModelLine(status: ServerStatus | null, { home, final }: { home: string; final: boolean }): string {
  if (!status) return 'local model: unknown (the mlx-manager did not answer)';
  const progress = status.state === 'downloading' && status.progress !== null ? ` ${status.progress} %` : '';
  const line = `local model: ${status.state}${progress} - ${status.message}`;
  if (!final || !BUSY_STATES.has(status.state)) return line;
  return `${line}\n  still going in the background: watch it with \`mallex status\` or in ${path.join(home, 'server.log')}`;
}

async function followLocalModel(context: CliContext, config: MallexConfig, internalToken: string): Promise<void> {
  const readStatus = () =>
    requestJson<ServerStatus>(`http://127.0.0.1:${config.servicePorts.mlxManager}/status`, {
      headers: { [INTERNAL_TOKEN_HEADER]: internalToken },
      timeoutMs: 1500,
    }).catch(() => null);
  const home = context.environment.home;
  let status = await readStatus();
  // A live line only on a terminal; a pipe or a log file gets one snapshot.
  if (process.stdout.isTTY) {
    const deadline = Date.now() + FOLLOW_MS;
    while (status && BUSY_STATES.has(status.state) && Date.now() < deadline) {
      const line = formatLocalModelLine(status, { home, final: false }).slice(0, Math.max(20, (process.stdout.columns ?? 100) - 1));
      process.stdout.write(`\r\x1b[2K${line}`);
      await sleep(POLL_MS);
      status = await readStatus();
    }
    process.stdout.write('\r\x1b[2K');
  }
  context.out(formatLocalModelLine(status, { home, final: true }));
  for (const detail of status?.state === 'failed' ? status.details ?? [] : []) context.out(`  ${detail}`);
}

/** A config.yaml that holds the API key is made readable by its owner only (mode 0600), as setup writes it. */
export function tightenKeyFile(configPath: string | null, config: MallexConfig): boolean {
  if (!configPath || !config.routing.claudeApiKey) return false;
  const mode = fs.statSync(configPath).mode & 0o777;
  if (!(mode & 0o077)) return false;
  fs.chmodSync(configPath, 0o600);
  return true;
}

/** Starts the services; `mallex` (launch) reuses it, so it does not wait for the local model. */
export async function runUp(context: CliContext): Promise<{ config: MallexConfig; internalToken: string }> {
  const { config, userConfigPath } = context.loadConfig();
  if (tightenKeyFile(userConfigPath, config)) context.err(`mallex: ${userConfigPath} holds your API key and other users could read it; its mode is now 0600`);
  ensureClientToken(context.environment.home);
  const startedAt = Date.now();
  const result = await startStack(config, context.environment.home);
  const rows = [...result.started.map((name) => [name, 'started']), ...result.adopted.map((name) => [name, 'already running'])];
  context.out(formatTable(['service', 'state'], rows));
  context.out(`mallex is up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: Claude Code talks to http://127.0.0.1:${config.proxyPort}`);
  return { config, internalToken: result.internalToken };
}

export function registerUp(program: Command, context: CliContext): void {
  program
    .command('up')
    .description('start the mallex services under pm2 (or adopt the running ones) and wait until they are healthy')
    .action(async () => {
      const { config, internalToken } = await runUp(context);
      await followLocalModel(context, config, internalToken);
    });
}
