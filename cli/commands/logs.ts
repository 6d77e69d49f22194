import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { SERVICE_KEYS } from '../../lib/stack/service-definitions.js';
import type { CliContext } from '../context.js';
import { homePaths } from '../../lib/paths.js';
import { formatLogLine, formatRequestLine } from '../format/format-log-line.js';
import { pm2Client, withPm2 } from '../stack/pm2-client.js';

function tail(filePath: string, lines: number): string[] {
  try {
    return fs.readFileSync(filePath, 'utf8').split('\n').filter(Boolean).slice(-lines);
  } catch {
    return [];
  }
}

export function parseLineCount(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number of lines, such as 40.');
  return Number(value);
}

export function registerLogs(program: Command, context: CliContext): void {
  program
    .command('logs')
    .description(`show pm2's logs of one service (${SERVICE_KEYS.join(', ')}) or of all, and the gateway's request log`)
    .argument('[service]', 'one of the services; all when left out')
    .option('-n, --lines <count>', 'lines per log file', parseLineCount, 40)
    .option('--raw', 'print the JSON lines as the services wrote them')
    .action(async (service: string | undefined, options: { lines: number; raw?: boolean }) => {
      if (service && !(SERVICE_KEYS as readonly string[]).includes(service.replace(/^mallex-/, ''))) {
        throw new Error(`unknown service "${service}"; choose one of ${SERVICE_KEYS.join(', ')}`);
      }
      const wanted = service ? `mallex-${service.replace(/^mallex-/, '')}` : undefined;
      const processes = await withPm2(() => pm2Client.list());
      const chosen = processes.filter((process) => (wanted ? process.name === wanted : process.name?.startsWith('mallex-')));
      if (!chosen.length) {
        context.out('no mallex service is running (start them with `mallex up`)');
        return;
      }
      const lines = options.lines;
      for (const process of chosen) {
        for (const logPath of [process.pm2_env?.pm_out_log_path, process.pm2_env?.pm_err_log_path]) {
          if (!logPath) continue;
          context.out(`── ${process.name} ${logPath}`);
          for (const line of tail(logPath, lines)) context.out(options.raw ? line : formatLogLine(line));
        }
      }
      // One line per request is in the request log, not in pm2's (services/gateway/record/gateway-record.ts).
      if (!wanted || wanted === 'mallex-gateway') {
        const requestLog = homePaths(context.environment.home).requestLog;
        context.out(`── requests ${requestLog}`);
        for (const line of tail(requestLog, lines)) context.out(options.raw ? line : formatRequestLine(line));
      }
    });
}
