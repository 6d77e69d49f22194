// Where to look for a Python that can run mlx-lm (>= 3.10), in order of preference.

const MIN_PYTHON: readonly [number, number] = [3, 10];
const MINOR_VERSIONS = [14, 13, 12, 11, 10];

export function listPythonCandidates({ configured, platform, homeDir, pyenvVersions }: {
  /** mlx.python: when set, the only candidate. */
  configured: string | null;
  platform: NodeJS.Platform;
  homeDir: string;
  /** Folder names under ~/.pyenv/versions. */
  pyenvVersions: string[];
}): string[] {
  if (configured) return [configured];
  const candidates = ['python3', 'python', ...MINOR_VERSIONS.map((minor) => `python3.${minor}`)];
  const newestFirst = [...pyenvVersions].sort((a, b) => compareVersionNames(b, a));
  candidates.push(...newestFirst.map((version) => `${homeDir}/.pyenv/versions/${version}/bin/python3`));
  if (platform === 'darwin') {
    for (const prefix of ['/opt/homebrew', '/usr/local']) {
      candidates.push(`${prefix}/bin/python3`);
      candidates.push(...MINOR_VERSIONS.map((minor) => `${prefix}/opt/python@3.${minor}/bin/python3.${minor}`));
    }
  }
  return [...new Set(candidates)];
}

export function isSupportedPython(version: readonly [number, number]): boolean {
  return version[0] > MIN_PYTHON[0] || (version[0] === MIN_PYTHON[0] && version[1] >= MIN_PYTHON[1]);
}

/** "3.12.1" > "3.9.18"; names that are not versions (e.g. "miniforge3") sort last. */
function compareVersionNames(a: string, b: string): number {
  const parse = (name: string) => (/^\d+(\.\d+)*$/.test(name) ? name.split('.').map(Number) : null);
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return left ? 1 : right ? -1 : a.localeCompare(b);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
