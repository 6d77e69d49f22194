import type { Command } from 'commander';
import { ensureClientToken } from '../../lib/security/client-token.js';
import type { CliContext } from '../context.js';
import { formatTable } from '../format/table.js';
import { startStack } from '../stack/stack-control.js';

export async function runUp(context: CliContext): Promise<void> {
  const { config } = context.loadConfig();
  ensureClientToken(context.environment.home);
  const startedAt = Date.now();
  const result = await startStack(config, context.environment.home);
  const rows = [...result.started.map((name) => [name, 'started']), ...result.adopted.map((name) => [name, 'already running'])];
  context.out(formatTable(['service', 'state'], rows));
  context.out(`mallex is up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: Claude Code talks to http://127.0.0.1:${config.proxyPort}`);
}

export function registerUp(program: Command, context: CliContext): void {
  program
    .command('up')
    .description('start the mallex services under pm2 (or adopt the running ones) and wait until they are healthy')
    .action(() => runUp(context));
}
