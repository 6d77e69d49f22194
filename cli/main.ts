import { Command, CommanderError } from 'commander';
import { MALLEX_VERSION } from '../lib/version.js';
import { registerDoctor } from './commands/doctor.js';
import { registerDown } from './commands/down.js';
import { registerLaunch } from './commands/launch.js';
import { registerLogs } from './commands/logs.js';
import { registerProxy } from './commands/proxy.js';
import { registerServer } from './commands/server.js';
import { registerSetup } from './commands/setup.js';
import { registerStats } from './commands/stats.js';
import { registerStatusline } from './commands/statusline.js';
import { registerStatus } from './commands/status.js';
import { registerUp } from './commands/up.js';
import { createCliContext, type CliContext } from './context.js';

export function createProgram(context: CliContext): Command {
  const program = new Command('mallex')
    .description('Run Claude Code against a local MLX model, and reach Claude for the hard parts.')
    .version(MALLEX_VERSION)
    .showHelpAfterError('(run mallex --help for the commands)')
    .exitOverride();
  registerUp(program, context);
  registerDown(program, context);
  registerStatus(program, context);
  registerLogs(program, context);
  registerServer(program, context);
  registerStats(program, context);
  registerStatusline(program, context.environment.home);
  registerProxy(program, context);
  registerSetup(program, context);
  registerDoctor(program, context);
  // Last: it sets the program's own options and passes unknown ones to Claude Code.
  registerLaunch(program, context);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const context = createCliContext();
  const program = createProgram(context);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    context.err(`mallex: ${(error as Error).message}`);
    return 1;
  }
}
