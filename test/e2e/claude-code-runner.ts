import fs from 'node:fs';
import path from 'node:path';
import { findClaudeCodeBinary } from '../helpers/claude-code-binary.js';
import type { MallexStack } from '../helpers/mallex-stack.js';
import { resolveStackPath } from '../helpers/mallex-stack.js';
import { runMallex, type CliResult } from '../helpers/run-cli.js';

// The real Claude Code CLI (the pinned devDependency's platform binary),
// started the way a user starts it: `mallex -p "…"`, which brings the stack
// up and runs `claude` from PATH. A throwaway HOME (from createTempHome)
// keeps it away from any real login; a throwaway project holds a CLAUDE.md.

/** Claude Code's own credential: the gateway must pass it to Anthropic untouched. */
export const CLAUDE_CODE_API_KEY = 'sk-ant-test-e2e-key-0123456789';

export const PROJECT_RULES = '# Rules\nAlways use 2-space indent.\n';

export interface ClaudeCodeRunner {
  projectDir: string;
  run(args: string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
}

/** Variables from the outer environment that would change what Claude Code does or where it goes. */
function removeClaudeVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(ANTHROPIC_|CLAUDE_)/.test(name)));
}

/** The environment `mallex` runs with in these tests: the stack's homes, `claude` first on PATH, Claude Code's own key. */
export function createClaudeCodeEnv(stack: MallexStack): NodeJS.ProcessEnv {
  return {
    ...removeClaudeVariables(stack.temp.env),
    PATH: `${resolveStackPath(stack, 'bin')}${path.delimiter}${stack.temp.env.PATH}`,
    ANTHROPIC_API_KEY: CLAUDE_CODE_API_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}

/**
 * What lets an interactive Claude Code start without onboarding, the API key
 * question or the trust dialog (PROTOCOL.md D1), in the stack's HOME.
 */
export function prepareInteractiveHome(stack: MallexStack, projectDir: string): void {
  const settings = {
    hasCompletedOnboarding: true,
    customApiKeyResponses: { approved: [CLAUDE_CODE_API_KEY.slice(-20)], rejected: [] },
    projects: { [projectDir]: { hasTrustDialogAccepted: true } },
  };
  fs.writeFileSync(path.join(stack.temp.env.HOME!, '.claude.json'), JSON.stringify(settings));
}

export function prepareClaudeCode(stack: MallexStack): ClaudeCodeRunner {
  const binDir = resolveStackPath(stack, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  fs.symlinkSync(findClaudeCodeBinary(), path.join(binDir, 'claude'));
  const projectDir = resolveStackPath(stack, 'project');
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(path.join(projectDir, 'CLAUDE.md'), PROJECT_RULES);
  fs.mkdirSync(stack.temp.env.HOME!, { recursive: true });

  return {
    projectDir,
    run: (args, { timeoutMs = 90_000, env = {} } = {}) =>
      runMallex(args, {
        cwd: projectDir,
        timeoutMs,
        env: { ...createClaudeCodeEnv(stack), ...env },
      }),
  };
}
