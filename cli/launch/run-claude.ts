import { spawn } from 'node:child_process';
import os from 'node:os';

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

/**
 * Runs Claude Code with the terminal handed over (stdio inherited) and
 * resolves to its exit status; a death by signal becomes 128 + the signal's
 * number, as a shell reports it.
 */
export function runClaude(executable: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: 'inherit', env });
    // Ctrl-C goes to the whole foreground process group: Claude Code decides
    // what it means, and mallex stays alive to apply onExitServer afterwards.
    const ignoreInterrupt = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', ignoreInterrupt);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const cleanUp = () => {
      process.off('SIGINT', ignoreInterrupt);
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    child.once('error', (error) => {
      cleanUp();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      cleanUp();
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}
