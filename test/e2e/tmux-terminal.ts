import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

// A real terminal for an interactive program: a tmux server of its own (a
// unique socket under the test's temporary folder, so it never meets the
// developer's tmux), one session with a unique name, the command started
// under `env -i` with exactly the environment the test gives it. The screen
// is read with capture-pane; every wait has a deadline.

const run = promisify(execFile);

export interface TmuxTerminal {
  /** Types text as keys (literally), then presses Enter when asked. */
  type(text: string, options?: { enter?: boolean }): Promise<void>;
  /** The visible screen, as text. */
  readScreen(): Promise<string>;
  /** Waits until the screen matches; returns the screen. */
  waitForScreen(pattern: RegExp, timeoutMs: number, what?: string): Promise<string>;
  /** Kills this tmux server (and the program in it). */
  close(): Promise<void>;
}

export interface TmuxOptions {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the tmux server's socket lives (a test's temporary folder). */
  socketDir: string;
  columns?: number;
  rows?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startInTmux({ command, cwd, env, socketDir, columns = 160, rows = 50 }: TmuxOptions): Promise<TmuxTerminal> {
  const socket = `mallex-test-${randomUUID().slice(0, 8)}`;
  const session = `mallex-e2e-${randomUUID().slice(0, 8)}`;
  const tmuxEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMUX_TMPDIR: socketDir, HOME: env.HOME ?? socketDir };
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env: tmuxEnv, timeout: 10_000 });
  const variables = Object.entries(env).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${value}`]));
  await tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-c', cwd, '--', 'env', '-i', ...variables, ...command);
  const terminal: TmuxTerminal = {
    async type(text, { enter = true } = {}) {
      await tmux('send-keys', '-t', session, '-l', text);
      if (enter) {
        // A pause, so the program reads the text as typing rather than a paste that holds the Enter.
        await sleep(300);
        await tmux('send-keys', '-t', session, 'Enter');
      }
    },
    async readScreen() {
      const { stdout } = await tmux('capture-pane', '-p', '-J', '-t', session);
      return stdout;
    },
    async waitForScreen(pattern, timeoutMs, what = String(pattern)) {
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      while (Date.now() < deadline) {
        screen = await terminal.readScreen().catch(() => screen);
        if (pattern.test(screen)) return screen;
        await sleep(250);
      }
      throw new Error(`did not see ${what} on screen within ${timeoutMs} ms; the screen:\n${screen}`);
    },
    async close() {
      await tmux('kill-server').catch(() => undefined);
    },
  };
  return terminal;
}
