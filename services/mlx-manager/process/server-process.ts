import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLineSplitter } from './line-splitter.js';
import { isProcessAlive } from './process-identity.js';
import type { ServerLog } from './server-log.js';

export interface ServerExit {
  code: number | null;
  signal: string | null;
}

/** A running mlx-lm.server, started by us or found running (adopted). */
export interface ServerProcess {
  readonly pid: number | null;
  readonly exited: Promise<ServerExit>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it has exited. */
  terminate(graceMs: number): Promise<ServerExit>;
}

/**
 * Starts the wrapper with its output piped through us: every line goes to
 * server.log and to `onLine` (the supervisor's log watcher). It runs in its
 * own process group so nothing it starts outlives a stop.
 */
export function spawnServerProcess({ python, args, log, onLine }: {
  python: string;
  args: string[];
  log: ServerLog;
  onLine: (line: string) => void;
}): ServerProcess {
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let running = true;
  const exited = new Promise<ServerExit>((resolve) => {
    child.on('error', (error) => {
      log.append(`mallex: could not start ${python}: ${error.message}\n`);
      running = false;
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    const splitter = createLineSplitter(onLine);
    stream.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log.append(text);
      splitter.push(text);
    });
    stream.on('end', () => splitter.flush());
  }
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone already
    }
  };
  return {
    pid: child.pid ?? null,
    exited,
    isRunning: () => running,
    async terminate(graceMs) {
      if (!running) return exited;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

/**
 * A server that was already listening when the mlx-manager started (e.g. it
 * outlived a restart of the mlx-manager). Its exit is seen by polling its pid;
 * without a pid (not ours to signal) it can only be watched over HTTP, and
 * "terminating" it only lets go of it.
 */
export function adoptServerProcess({ pid, pollMs }: { pid: number | null; pollMs: number }): ServerProcess {
  let running = true;
  let finish!: (exit: ServerExit) => void;
  const exited = new Promise<ServerExit>((resolve) => (finish = resolve)).finally(() => {
    running = false;
  });
  const poll = async () => {
    while (running && pid !== null && isProcessAlive(pid)) await sleep(pollMs);
    finish({ code: null, signal: null });
  };
  if (pid !== null) void poll();
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid!, name);
    } catch {
      // gone already
    }
  };
  return {
    pid,
    exited,
    isRunning: () => running,
    async terminate(graceMs) {
      if (pid === null || !running) {
        finish({ code: null, signal: null });
        return exited;
      }
      signal('SIGTERM');
      const deadline = Date.now() + graceMs;
      while (isProcessAlive(pid) && Date.now() < deadline) await sleep(Math.min(pollMs, 100));
      if (isProcessAlive(pid)) signal('SIGKILL');
      return exited;
    },
  };
}
