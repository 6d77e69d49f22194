import fs from 'node:fs';
import path from 'node:path';

/** Finds a command on PATH the way a shell would; null when it is not there. */
export function findExecutable(name: string, pathValue: string | undefined, platform: NodeJS.Platform = process.platform): string | null {
  const extensions = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const folder of (pathValue ?? '').split(path.delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

export const CLAUDE_INSTALL_HINT = 'install Claude Code with `npm install -g @anthropic-ai/claude-code` (or see https://docs.claude.com/en/docs/claude-code), then run mallex again';
