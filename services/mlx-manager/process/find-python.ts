import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSupportedPython, listPythonCandidates } from '../decisions/python-candidates.js';
import { runCommand } from './run-command.js';

export interface FoundPython {
  path: string;
  version: [number, number];
}

function listPyenvVersions(homeDir: string): string[] {
  try {
    return fs.readdirSync(path.join(homeDir, '.pyenv', 'versions'));
  } catch {
    return [];
  }
}

/** Asks each candidate for its version; the first >= 3.10 wins. */
export async function findPython({ configured, signal }: { configured: string | null; signal: AbortSignal }): Promise<{ found: FoundPython | null; tried: string[] }> {
  const homeDir = os.homedir();
  const candidates = listPythonCandidates({ configured, platform: process.platform, homeDir, pyenvVersions: listPyenvVersions(homeDir) });
  const tried: string[] = [];
  for (const candidate of candidates) {
    if (signal.aborted) break;
    tried.push(candidate);
    const result = await runCommand(candidate, ['-c', 'import sys; print("%d %d" % sys.version_info[:2])'], { timeoutMs: 10_000, signal });
    if (result.code !== 0) continue;
    const match = /^(\d+) (\d+)$/.exec(result.lines.at(-1) ?? '');
    if (!match) continue;
    const version: [number, number] = [Number(match[1]), Number(match[2])];
    if (isSupportedPython(version)) return { found: { path: candidate, version }, tried };
  }
  return { found: null, tried };
}
