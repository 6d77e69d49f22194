import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { stopStack } from '../stack/stack-control.js';

export function registerDown(program: Command, context: CliContext): void {
  program
    .command('down')
    .description('stop and remove the mallex services (and pm2 itself when nothing else runs under it)')
    .action(async () => {
      const { config } = context.loadConfig();
      const removed = await stopStack(config);
      context.out(removed.length ? `stopped ${removed.join(', ')}` : 'mallex was not running');
    });
}
