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
import { suggestCommands } from './launch/suggest-command.js';

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
  // A typo of a command (`mallex stauts`) would otherwise start Claude Code
  // with it as the prompt. Only the first word is checked, so `mallex -- stauts`
  // passes anything through.
  const firstWord = argv[2];
  const meant = firstWord === undefined ? [] : suggestCommands(firstWord, program.commands.map((command) => command.name()));
  if (meant.length) {
    context.err(`mallex: unknown command "${firstWord}"; did you mean ${meant.map((name) => `\`${name}\``).join(' or ')}? (to send it to Claude Code as a prompt: mallex -- ${argv.slice(2).join(' ')})`);
    return 1;
  }
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    context.err(`mallex: ${(error as Error).message}`);
    return 1;
  }
}
