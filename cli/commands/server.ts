import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { requestJson } from '../../lib/http/send-request.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import { isProcessAlive, isWrapperCommandLine, readCommandLine, readPidFile } from '../../services/mlx-manager/process/process-identity.js';
import { listServerFiles } from '../../services/mlx-manager/process/server-files.js';
import type { ServerStatus } from '../../services/mlx-manager/server-status.js';
import type { CliContext } from '../context.js';
import { readInternalToken } from '../stack/stack-control.js';

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(50);
  return !isProcessAlive(pid);
}

/**
 * Stops the mlx-lm.server the mlx-manager started: SIGTERM, then SIGKILL
 * after the timeout, and only when the pid's command line runs this home's
 * wrapper. The stop request file tells the mlx-manager it was a stop, not a crash.
 */
export async function stopLocalServer(context: CliContext, timeoutMs: number): Promise<number> {
  const files = listServerFiles(context.environment.home);
  const pid = readPidFile(files.pid);
  if (pid === null) {
    context.out('the local model server is not running (no server.pid)');
    return 0;
  }
  if (!isProcessAlive(pid)) {
    fs.rmSync(files.pid, { force: true });
    context.out(`the local model server is not running (removed the stale server.pid for pid ${pid})`);
    return 0;
  }
  const commandLine = await readCommandLine(pid);
  if (!isWrapperCommandLine(commandLine, files.wrapper)) {
    context.err(`mallex: pid ${pid} in ${files.pid} is not mallex's mlx-lm.server (it runs: ${commandLine ?? 'unknown'}); leaving it alone`);
    return 1;
  }
  fs.writeFileSync(files.stopRequest, `${pid}\n`, { mode: 0o600 });
  process.kill(pid, 'SIGTERM');
  if (await waitForExit(pid, timeoutMs)) {
    context.out(`stopped mlx-lm.server (pid ${pid})`);
    return 0;
  }
  process.kill(pid, 'SIGKILL');
  if (await waitForExit(pid, 5000)) {
    context.out(`stopped mlx-lm.server (pid ${pid}) with SIGKILL: it ignored SIGTERM for ${timeoutMs / 1000} s`);
    return 0;
  }
  context.err(`mallex: pid ${pid} is still there after SIGKILL`);
  return 1;
}

async function restartLocalServer(context: CliContext): Promise<number> {
  const { config } = context.loadConfig();
  const internalToken = await readInternalToken();
  if (!internalToken) {
    context.err('mallex: the mlx-manager is not running; start mallex with `mallex up`');
    return 1;
  }
  const status = await requestJson<ServerStatus>(`http://127.0.0.1:${config.servicePorts.mlxManager}/restart`, {
    method: 'POST',
    headers: { [INTERNAL_TOKEN_HEADER]: internalToken },
    timeoutMs: 15_000,
  });
  context.out(`local model: ${status.state} - ${status.message}`);
  return 0;
}

export function registerServer(program: Command, context: CliContext): void {
  const server = program.command('server').description('the local model server (mlx-lm.server) that the mlx-manager runs');
  server
    .command('stop')
    .description("stop mlx-lm.server (SIGTERM, then SIGKILL after --timeout); touches only a process that runs mallex's wrapper")
    .option('--timeout <seconds>', 'seconds to wait after SIGTERM before SIGKILL', '10')
    .action(async (options: { timeout: string }) => {
      const seconds = Number(options.timeout);
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`--timeout must be a number of seconds, got "${options.timeout}"`);
      process.exitCode = await stopLocalServer(context, seconds * 1000);
    });
  server
    .command('restart')
    .description('ask the mlx-manager to start the local model server again (e.g. after it failed)')
    .action(async () => {
      process.exitCode = await restartLocalServer(context);
    });
}
