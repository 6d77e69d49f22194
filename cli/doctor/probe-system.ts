import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PROBE_TIMEOUT_MS = 15_000;

/** Runs a command and returns what it printed (stdout, else stderr), or null when it failed or timed out. */
export function runProbe(executable: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(executable, args, { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve(error ? null : (stdout.trim() || stderr.trim()));
    });
  });
}

export function readVenvMlxVersion(venvPath: string): Promise<string | null> {
  const python = path.join(venvPath, 'bin', 'python');
  return runProbe(python, ['-c', "import importlib.metadata as m; print(m.version('mlx-lm'))"]);
}

export function readFileMode(filePath: string): number | null {
  try {
    return fs.statSync(filePath).mode;
  } catch {
    return null;
  }
}

/** Free bytes on the file system that holds filePath (or its nearest existing parent). */
export function readFreeBytes(filePath: string): number | null {
  let current = path.resolve(filePath);
  for (let depth = 0; depth < 64 && !fs.existsSync(current); depth++) current = path.dirname(current);
  try {
    const stats = fs.statfsSync(current);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/**
 * Where mlx-lm (through huggingface_hub) keeps a downloaded model: the default
 * hub cache under the home folder. A model id that is a local folder is its own place.
 */
export function locateModelFiles(model: string): { cacheFolder: string; downloaded: string | null } {
  const cacheRoot = path.join(os.homedir(), '.cache', 'huggingface', 'hub');
  if (path.isAbsolute(model) || model.startsWith('.')) {
    return { cacheFolder: model, downloaded: fs.existsSync(model) ? `the model is a local folder (${model})` : null };
  }
  const folder = path.join(cacheRoot, `models--${model.replace(/\//g, '--')}`);
  const snapshots = path.join(folder, 'snapshots');
  const downloaded = fs.existsSync(snapshots) && fs.readdirSync(snapshots).length > 0 ? `already downloaded to ${folder}` : null;
  return { cacheFolder: cacheRoot, downloaded };
}
