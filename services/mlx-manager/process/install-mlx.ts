import fs from 'node:fs';
import type { MallexConfig } from '../../../lib/config/schema.js';
import { writeFileAtomicSync } from '../../../lib/fs/write-file-atomic.js';
import { describeInstallFailure, describeNoPython } from '../decisions/describe-failure.js';
import { collectPipErrors, pickPipError, summarizePipLine } from '../decisions/pip-output.js';
import { findPython } from './find-python.js';
import { runCommand } from './run-command.js';
import type { ServerFiles } from './server-files.js';

/** Installing failed; `message` is the one sentence for the user, `details` the evidence. */
export class InstallError extends Error {
  override name = 'InstallError';
  constructor(message: string, readonly details: string[]) {
    super(message);
  }
}

const VENV_TIMEOUT_MS = 5 * 60_000;
// A first install downloads MLX and its dependencies (hundreds of MB).
const PIP_TIMEOUT_MS = 30 * 60_000;

function readInstalledPackage(markerPath: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(markerPath, 'utf8')) as { package?: string }).package ?? null;
  } catch {
    return null;
  }
}

/**
 * Makes sure $MALLEX_HOME/venv exists and holds mlx.package. Returns the
 * venv's Python. Nothing is done when the installed pin matches; a new pin
 * reinstalls; a half-made venv is made again.
 */
export async function ensureMlxInstalled({ config, files, signal, onStep }: {
  config: MallexConfig;
  files: ServerFiles;
  signal: AbortSignal;
  onStep: (message: string) => void;
}): Promise<string> {
  const packageSpec = config.mlx.package;
  const venvReady = fs.existsSync(files.venvReadyMarker) && fs.existsSync(files.venvPython);
  if (venvReady && readInstalledPackage(files.installMarker) === packageSpec) return files.venvPython;

  if (!venvReady) {
    onStep('looking for Python 3.10 or newer');
    const { found, tried } = await findPython({ configured: config.mlx.python, signal });
    if (signal.aborted) throw signal.reason;
    if (!found) throw new InstallError(describeNoPython({ tried, configured: config.mlx.python, configPath: files.config }), []);
    onStep(`creating the Python environment ${files.venv} with ${found.path} (${found.version.join('.')})`);
    fs.rmSync(files.venv, { recursive: true, force: true });
    const venv = await runCommand(found.path, ['-m', 'venv', files.venv], { timeoutMs: VENV_TIMEOUT_MS, signal });
    if (signal.aborted) throw signal.reason;
    if (venv.code !== 0) {
      const reason = venv.timedOut ? 'timed out' : venv.lines.at(-1) ?? `exited with code ${venv.code}`;
      throw new InstallError(
        `${found.path} -m venv ${files.venv} failed (${reason}); install a Python with venv support or set \`mlx.python\` in ${files.config}, or set \`backend.kind: openai\` to use another local server.`,
        venv.lines.slice(-5),
      );
    }
    writeFileAtomicSync(files.venvReadyMarker, `${found.path} ${found.version.join('.')}\n`, 0o644);
  }

  onStep(`installing ${packageSpec}`);
  const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', packageSpec, ...config.mlx.pipArgs];
  const pip = await runCommand(files.venvPython, pipArgs, {
    timeoutMs: PIP_TIMEOUT_MS,
    signal,
    onLine: (line) => {
      const step = summarizePipLine(line);
      if (step) onStep(step);
    },
  });
  if (signal.aborted) throw signal.reason;
  if (pip.code !== 0) {
    const pipError = pip.timedOut ? `no result within ${PIP_TIMEOUT_MS / 60_000} minutes` : pickPipError(pip.lines, pip.code);
    throw new InstallError(
      describeInstallFailure({ packageSpec, pipError, platform: process.platform, arch: process.arch, configPath: files.config }),
      collectPipErrors(pip.lines).length ? collectPipErrors(pip.lines) : pip.lines.slice(-5),
    );
  }
  writeFileAtomicSync(files.installMarker, `${JSON.stringify({ package: packageSpec, installedAt: new Date().toISOString() })}\n`, 0o644);
  return files.venvPython;
}
