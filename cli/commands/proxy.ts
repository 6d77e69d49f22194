import type { Command } from 'commander';
import { ensureClientToken } from '../../lib/security/client-token.js';
import type { CliContext } from '../context.js';
import { createClaudeEnvironment, decideClaudeAuth, listChangedVariables } from '../launch/claude-environment.js';
import { runUp } from './up.js';

/** POSIX shell single quotes: everything literal, a ' written as '\'' . */
export function quoteForShell(value: string): string {
  return /^[A-Za-z0-9_./:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The lines a shell needs to run Claude Code through mallex: the same environment `mallex` gives it. */
export function formatExportLines(base: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): string[] {
  return listChangedVariables(base, env).map(({ name, value }) => (value === undefined ? `unset ${name}` : `export ${name}=${quoteForShell(value)}`));
}

export function registerProxy(program: Command, context: CliContext): void {
  program
    .command('proxy')
    .description('start the mallex services without Claude Code and print the `export` lines that point Claude Code (or any Anthropic client) at them')
    .addHelpText('after', '\nThe services report on stderr and only the export lines go to stdout, so this works:\n  eval "$(mallex proxy)" && claude')
    .action(async () => {
      // The progress of `up` goes to stderr, so stdout holds only shell code.
      await runUp({ ...context, out: context.err });
      const { config } = context.loadConfig();
      // The user's environment is the base, so existing custom headers are merged, not lost.
      const base = process.env;
      const env = createClaudeEnvironment(base, {
        proxyPort: config.proxyPort,
        clientToken: ensureClientToken(context.environment.home),
        auth: decideClaudeAuth(config),
      });
      for (const line of formatExportLines(base, env)) context.out(line);
    });
}
