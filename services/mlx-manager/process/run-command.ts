import { spawn } from 'node:child_process';
import { createLineSplitter } from './line-splitter.js';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of stdout and stderr together (bounded). */
  lines: string[];
  /** Set when the program could not be started at all (e.g. ENOENT). */
  spawnError: NodeJS.ErrnoException | null;
  timedOut: boolean;
}

const KEPT_LINES = 200;

/**
 * Runs a short-lived program (python -m venv, pip) with a deadline. It runs
 * in its own process group so that a timeout or an abort also ends what it
 * started (pip's build subprocesses).
 */
export function runCommand(command: string, args: readonly string[], { timeoutMs, signal, onLine }: {
  timeoutMs: number;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    const keep = (line: string) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      onLine?.(line);
    };
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    signal?.addEventListener('abort', killGroup, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      const splitter = createLineSplitter(keep);
      stream.on('data', (chunk: Buffer) => splitter.push(chunk.toString('utf8')));
      stream.on('end', () => splitter.flush());
    }
    child.on('error', (error) => {
      spawnError = error as NodeJS.ErrnoException;
    });
    child.on('close', (code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', killGroup);
      resolve({ code, signal: exitSignal, lines, spawnError, timedOut });
    });
  });
}
