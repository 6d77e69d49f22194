import fs from 'node:fs';
import type { Command } from 'commander';
import { saveUserConfig } from '../../lib/config/load-config.js';
import { homePaths } from '../../lib/paths.js';
import { ensureClientToken } from '../../lib/security/client-token.js';
import type { CliContext } from '../context.js';
import { createClaudeEnvironment, decideClaudeAuth } from '../launch/claude-environment.js';
import { applyExitDecision, decideExitAction, type ExitChoice } from '../launch/exit-server-policy.js';
import { createExtraClaudeArgs } from '../launch/extra-claude-args.js';
import { CLAUDE_INSTALL_HINT, findExecutable } from '../launch/find-executable.js';
import { readLocalModelStatus, requestLocalModelStart, stopLocalModelServer } from '../launch/local-model-control.js';
import { runClaude } from '../launch/run-claude.js';
import { createEnquirerPrompter } from '../setup/enquirer-prompter.js';
import { SetupCancelledError } from '../setup/prompter.js';
import { readUserConfigFile } from '../setup/read-setup-plan.js';
import { readInternalToken } from '../stack/stack-control.js';
import { runSetupCommand } from './setup.js';
import { runUp } from './up.js';

/** Exit status when the command to run is missing, as a shell reports it. */
const COMMAND_NOT_FOUND = 127;

export interface LaunchEnvironment {
  /** The environment Claude Code inherits (and where PATH is read). */
  env: NodeJS.ProcessEnv;
  /** Whether a person can answer questions (standard input is a terminal). */
  interactive: boolean;
}

function isFirstRun(home: string): boolean {
  const paths = homePaths(home);
  return !fs.existsSync(paths.config) && !fs.existsSync(paths.legacyConfig);
}

async function askExitChoice(): Promise<ExitChoice> {
  try {
    return (await createEnquirerPrompter().select({
      message: 'Claude Code has exited. The local model server still holds its memory:',
      choices: [
        { value: 'stop', label: 'Stop it' },
        { value: 'keep', label: 'Keep it running (the next start is instant)' },
        { value: 'always-stop', label: 'Always stop it' },
        { value: 'always-keep', label: 'Always keep it' },
      ],
      initial: 'keep',
    })) as ExitChoice;
  } catch (error) {
    if (error instanceof SetupCancelledError) return 'keep';
    throw error;
  }
}

/**
 * `mallex [claude arguments…]`: the first run's setup, the stack, then Claude
 * Code pointed at the gateway, with its exit status as mallex's own.
 */
export async function runLaunch(context: CliContext, claudeArgs: string[], { env, interactive }: LaunchEnvironment): Promise<number> {
  const home = context.environment.home;
  const claude = findExecutable('claude', env.PATH);
  if (!claude) {
    context.err(`mallex: \`claude\` was not found on PATH; ${CLAUDE_INSTALL_HINT}`);
    return COMMAND_NOT_FOUND;
  }
  if (isFirstRun(home)) {
    context.out('No mallex configuration yet: the setup wizard runs once, then Claude Code starts.');
    if (!(await runSetupCommand(context, {}, interactive))) return 1;
  }

  // mallex's own lines go to stderr: stdout belongs to Claude Code, so
  // `mallex -p "…" > answer.txt` holds only the answer.
  await runUp({ ...context, out: context.err });
  const { config } = context.loadConfig();
  const internalToken = await readInternalToken();
  if (config.backend.kind === 'mlx') {
    const refused = await requestLocalModelStart(config, internalToken);
    if (refused && !/ 404:/.test(refused)) context.err(`mallex: the local model server did not start: ${refused} (see \`mallex status\`)`);
  }

  const claudeEnv = createClaudeEnvironment(env, {
    proxyPort: config.proxyPort,
    clientToken: ensureClientToken(home),
    auth: decideClaudeAuth(config),
  });
  const exitCode = await runClaude(claude, [...createExtraClaudeArgs(config, home, claudeArgs), ...claudeArgs], claudeEnv);

  const status = await readLocalModelStatus(config, internalToken);
  await applyExitDecision(decideExitAction(config, status, interactive), {
    ask: askExitChoice,
    stop: () => stopLocalModelServer(config, internalToken),
    saveAlways: (policy) => saveUserConfig(home, { ...readUserConfigFile(homePaths(home).config), onExitServer: policy }),
    say: (line) => context.err(`mallex: ${line}`),
  });
  return exitCode;
}

/**
 * The default action. Options mallex does not know, and everything after the
 * first of them or after the first argument, go to Claude Code unchanged
 * (commander's passThroughOptions), so `mallex -p "hi" --allowedTools Write`
 * runs `claude -p hi --allowedTools Write`, while `mallex up` stays a command.
 */
export function registerLaunch(program: Command, context: CliContext): void {
  program
    .enablePositionalOptions()
    .passThroughOptions()
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[claude-args...]', 'arguments passed to Claude Code unchanged (use `mallex -- --help` for Claude Code\'s own help)')
    .option('--setup', 'run the setup wizard (same as `mallex setup`)')
    .action(async (claudeArgs: string[], options: { setup?: boolean }) => {
      if (options.setup) {
        // The alias takes setup's own flags too: `mallex --setup --defaults`.
        const setup = program.commands.find((command) => command.name() === 'setup');
        if (!setup) throw new Error('the setup command is not registered');
        await setup.parseAsync(claudeArgs, { from: 'user' });
        return;
      }
      // Claude Code gets the user's whole environment; this is the one place
      // the CLI hands process.env on, rather than reading settings from it.
      process.exitCode = await runLaunch(context, claudeArgs, { env: process.env, interactive: Boolean(process.stdin.isTTY) });
    });
}
