import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatBytes, formatTable } from '../format/table.js';
import { readStackStatus } from '../stack/stack-control.js';

export function registerStatus(program: Command, context: CliContext): void {
  program
    .command('status')
    .description("show each service's state, pid, port, memory and restarts, and the local model server's state")
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const { config } = context.loadConfig();
      const status = await readStackStatus(config);
      if (options.json) {
        context.out(JSON.stringify(status, null, 2));
        return;
      }
      const rows = status.services.map((service) => [
        service.processName,
        service.state,
        service.pid === null ? '-' : String(service.pid),
        String(service.port),
        formatBytes(service.memoryBytes),
        String(service.restarts),
      ]);
      context.out(formatTable(['service', 'state', 'pid', 'port', 'memory', 'restarts'], rows));
      const local = status.localModel;
      context.out(`local model: ${local ? `${local.state}${local.model ? ` (${local.model})` : ''}${local.message ? ` - ${local.message}` : ''}` : 'unknown (mlx-manager not running)'}`);
    });
}
