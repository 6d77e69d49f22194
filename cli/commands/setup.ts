import type { Command } from 'commander';
import { detectHardware } from '../../lib/hardware/detect-hardware.js';
import type { CliContext } from '../context.js';
import { createDefaultsPrompter } from '../setup/defaults-prompter.js';
import { createEnquirerPrompter } from '../setup/enquirer-prompter.js';
import { createLocalServerSearch } from '../setup/local-servers.js';
import { hasDecidingFlags, parseSetupFlags, type SetupOptionValues } from '../setup/parse-setup-flags.js';
import { SetupCancelledError, SetupNeedsAnswerError } from '../setup/prompter.js';
import { runSetup } from '../setup/run-setup.js';

export class SetupNeedsTerminalError extends Error {
  override name = 'SetupNeedsTerminalError';
}

/**
 * Runs the wizard with the right prompter: enquirer on a terminal, defaults
 * with --defaults or deciding flags, and an immediate error otherwise (a
 * prompt on a pipe would wait forever). Returns false when the user cancelled.
 */
export async function runSetupCommand(context: CliContext, values: SetupOptionValues, interactive: boolean): Promise<boolean> {
  const flags = parseSetupFlags(values);
  const unattended = Boolean(values.defaults) || (!interactive && hasDecidingFlags(values));
  if (!unattended && !interactive) {
    throw new SetupNeedsTerminalError(
      'setup needs a terminal to ask its questions, and standard input is not one; ' +
        'run `mallex setup --defaults` to accept the recommendations (add --backend, --url, --model, --tier, --auth or --api-key to choose)',
    );
  }
  try {
    await runSetup({
      home: context.environment.home,
      hardware: detectHardware(),
      prompter: unattended ? createDefaultsPrompter() : createEnquirerPrompter(),
      flags,
      search: createLocalServerSearch(),
      say: context.out,
    });
    return true;
  } catch (error) {
    if (error instanceof SetupCancelledError) {
      context.err(error.message);
      return false;
    }
    if (error instanceof SetupNeedsAnswerError) throw new SetupNeedsTerminalError(`setup: ${error.message}`);
    throw error;
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerSetup(program: Command, context: CliContext): void {
  program
    .command('setup')
    .description('the setup wizard: detect the machine, pick the local model, the routing tiers and how to reach Claude (also: mallex --setup)')
    .option('--defaults', 'accept every recommendation without questions')
    .option('--backend <kind>', 'the local model server: mlx (mallex runs mlx-lm, Apple Silicon) or openai (a server you already run)')
    .option('--url <url>', 'the OpenAI base URL of the server you run, e.g. http://127.0.0.1:11434/v1 (implies --backend openai)')
    .option('--model <id>', 'the local model: a Hugging Face repo id or local path for mlx; for openai, as the server names it (default: the first it serves)')
    .option('--tier <number=target>', 'set one tier: 2=local or 3=claude-opus-5-5 (repeatable)', collect)
    .option('--auth <method>', 'how to reach Claude: oauth (the Claude Code login) or apikey')
    .option('--api-key <key>', 'the Anthropic API key for --auth apikey (visible to other users in the process list; prefer the wizard)')
    .addHelpText('after', '\nWithout a terminal, pass --defaults or the flags that decide the answers.')
    .action(async (values: SetupOptionValues) => {
      if (!(await runSetupCommand(context, values, Boolean(process.stdin.isTTY)))) process.exitCode = 1;
    });
}
