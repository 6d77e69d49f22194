import { spawn } from 'node:child_process';
import { MALLEX_BIN } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  cwd?: string;
  /** Written to the command's stdin, which then ends; without it stdin is closed from the start. */
  input?: string;
}

/** Runs a command to its end with a deadline (killed past it, so a test never hangs); what it printed, and its exit code. */
export function runProcess(command: string, args: string[], { env, timeoutMs, cwd, input }: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${[command, ...args].join(' ').slice(0, 300)} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Runs the real `mallex` command (stdin empty and ended, as from a script). */
export function runMallex(args: string[], { env, timeoutMs = 30_000, cwd, input = '' }: Partial<RunOptions> & { env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return runProcess(process.execPath, [MALLEX_BIN, ...args], { env, timeoutMs, cwd, input });
}
