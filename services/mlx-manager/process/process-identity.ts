import { execFile } from 'node:child_process';
import fs from 'node:fs';

// Which process is ours: `mallex server stop` signals a pid only when its
// command line runs this home's wrapper, so a stale pid file never kills an
// unrelated process that got the same pid.

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process (`ps -o args=`, which macOS and Linux both have), or null when there is none. */
export function readCommandLine(pid: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'args=', '-p', String(pid)], { timeout: 3000 }, (error, stdout) => {
      const line = stdout.trim();
      resolve(error || !line ? null : line);
    });
  });
}

export function isWrapperCommandLine(commandLine: string | null, wrapperPath: string): boolean {
  return commandLine !== null && commandLine.split(/\s+/).includes(wrapperPath);
}

export function readPidFile(pidPath: string): number | null {
  try {
    const pid = Number(fs.readFileSync(pidPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The pid in the pid file, if that process is alive and runs our wrapper. */
export async function findOwnServerPid(pidPath: string, wrapperPath: string): Promise<number | null> {
  const pid = readPidFile(pidPath);
  if (pid === null || !isProcessAlive(pid)) return null;
  return isWrapperCommandLine(await readCommandLine(pid), wrapperPath) ? pid : null;
}
