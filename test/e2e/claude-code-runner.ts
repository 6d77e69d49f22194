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
        env: {
          ...removeClaudeVariables(stack.temp.env),
          PATH: `${binDir}${path.delimiter}${stack.temp.env.PATH}`,
          ANTHROPIC_API_KEY: CLAUDE_CODE_API_KEY,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          ...env,
        },
      }),
  };
}
