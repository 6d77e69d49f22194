import type { ProbeResult } from '../setup/local-servers.js';
import type { GenerationResult } from './probe-local-server.js';
import { CLAUDE_INSTALL_HINT } from '../launch/find-executable.js';
import type { LocalModelStatus } from '../stack/stack-control.js';
import { fail, pass, warn, type DoctorCheck } from './doctor-check.js';

// The pure half of each check: facts in, one line out.

function parseVersion(text: string): number[] | null {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

function isAtLeast(version: number[], minimum: number[]): boolean {
  for (let index = 0; index < minimum.length; index++) {
    const have = version[index] ?? 0;
    const want = minimum[index] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

export function checkNodeVersion(version: string, enginesRange: string): DoctorCheck {
  const minimum = parseVersion(enginesRange.replace(/^\D*/, '') + (enginesRange.includes('.') ? '' : '.0')) ?? [20, 0];
  const have = parseVersion(version);
  const wanted = `${minimum[0]} or newer`;
  if (have && isAtLeast(have, minimum)) return pass('Node.js', `${version} (mallex needs ${wanted})`);
  return fail('Node.js', `${version} is too old (mallex needs ${wanted})`, `install Node.js ${wanted} (https://nodejs.org or your package manager)`);
}

export function checkClaude(executable: string | null, versionOutput: string | null): DoctorCheck {
  if (!executable) return fail('Claude Code', '`claude` is not on PATH', CLAUDE_INSTALL_HINT);
  if (versionOutput === null) return fail('Claude Code', `${executable} did not answer \`claude --version\``, `reinstall it: ${CLAUDE_INSTALL_HINT}`);
  return pass('Claude Code', `${versionOutput.trim()} at ${executable}`);
}

export function checkPython(executable: string, versionOutput: string | null): DoctorCheck {
  const version = versionOutput === null ? null : parseVersion(versionOutput);
  const fix = 'install Python 3.10 or newer (e.g. `brew install python@3.12`), or set mlx.python in config.yaml to its path';
  if (!version) return fail('Python', `${executable} was not found or did not run`, fix);
  if (!isAtLeast(version, [3, 10])) return fail('Python', `${executable} is ${version.join('.')}; mlx-lm needs 3.10 or newer`, fix);
  return pass('Python', `${version.join('.')} (${executable})`);
}

/** The venv's mlx-lm against the pin in mlx.package (a plain "mlx-lm==X" pin; other specs are not compared). */
export function checkVenv(venvPath: string, venvExists: boolean, installedVersion: string | null, packageSpec: string, modelState: string | null): DoctorCheck {
  const name = 'mlx-lm venv';
  if (!venvExists || installedVersion === null) {
    if (modelState === 'installing') return warn(name, `${venvPath} is being created now (mlx-manager is installing ${packageSpec})`);
    const what = venvExists ? `${venvPath} has no mlx-lm installed` : `${venvPath} does not exist yet`;
    return fail(name, what, 'run `mallex up`: the mlx-manager creates the venv and installs mlx-lm (`mallex status` shows its progress)');
  }
  const pinned = /^mlx-lm==(\S+)$/.exec(packageSpec.trim())?.[1];
  if (pinned && pinned !== installedVersion) {
    return fail(name, `mlx-lm ${installedVersion} is installed but config pins ${packageSpec}`, 'restart the model server (`mallex server stop`, then `mallex`): it reinstalls the pinned version');
  }
  return pass(name, `mlx-lm ${installedVersion} in ${venvPath}`);
}

const MODEL_IN_PROGRESS = new Set(['installing', 'starting', 'downloading', 'loading']);
const MODEL_AT_REST = new Set(['stopped', 'idle-stopped']);

export function checkLocalModel(status: LocalModelStatus | null, managerHealthy: boolean): DoctorCheck {
  const name = 'local model server';
  if (!managerHealthy) return fail(name, 'unknown: the mlx-manager is not running', 'run `mallex up`');
  if (!status) return warn(name, 'unknown: the mlx-manager does not report its state (no /status)');
  const model = status.model ? ` (${status.model})` : '';
  const progress = typeof status.progress === 'number' ? ` ${Math.round(status.progress)} %` : '';
  const message = status.message ? `: ${status.message}` : '';
  if (status.state === 'ready') return pass(name, `ready${model}`);
  if (MODEL_IN_PROGRESS.has(status.state)) return pass(name, `${status.state}${progress}${model}${message}`);
  if (MODEL_AT_REST.has(status.state)) return pass(name, `${status.state}${model}; it starts with the next local request`);
  if (status.state === 'crashed') return warn(name, `crashed and restarting${model}${message}`, 'see `mallex logs mlx-manager` and ~/.mallex/server.log');
  return fail(name, `${status.state}${model}${message}`, status.state === 'unreachable'
    ? 'start the server that backend.url points at, or correct backend.url in config.yaml'
    : 'read the message above and ~/.mallex/server.log; `mallex down && mallex up` retries');
}

/** config.yaml with an API key in it must not be readable by other users. */
export function checkConfigFileMode(configPath: string, mode: number | null, holdsKey: boolean): DoctorCheck | null {
  if (!holdsKey || mode === null) return null;
  const bits = mode & 0o777;
  if (bits & 0o077) return fail('API key file', `${configPath} holds the API key and has mode ${bits.toString(8).padStart(4, '0')}: other users can read it`, `chmod 600 ${configPath} (\`mallex up\` also does it)`);
  return pass('API key file', `${configPath} (mode 0600)`);
}

export function checkTokenFile(tokenPath: string, mode: number | null): DoctorCheck {
  if (mode === null) return fail('client token', `${tokenPath} does not exist`, 'run `mallex up` (it creates the token)');
  const bits = mode & 0o777;
  if (bits & 0o077) return fail('client token', `${tokenPath} has mode ${bits.toString(8).padStart(4, '0')}: other users can read it`, `chmod 600 ${tokenPath}`);
  return pass('client token', `${tokenPath} (mode 0600)`);
}

const GB = 1e9;

export function checkDisk(where: string, freeBytes: number | null, needGb: number | null, alreadyThere: string | null): DoctorCheck {
  const name = 'disk space for the model';
  if (alreadyThere) return pass(name, alreadyThere);
  if (freeBytes === null) return warn(name, `could not read the free space at ${where}`);
  const freeGb = freeBytes / GB;
  const free = `${freeGb.toFixed(1)} GB free at ${where}`;
  if (needGb === null) return freeGb < 10 ? warn(name, `${free}; the model's size is unknown`) : pass(name, `${free}; the model's size is unknown`);
  if (freeGb < needGb) return fail(name, `${free}, the model needs about ${needGb.toFixed(1)} GB`, 'free some disk space, or pick a smaller model with `mallex setup`');
  return pass(name, `${free}, the model needs about ${needGb.toFixed(1)} GB`);
}

/** The server the user runs (backend.kind openai): reachable, serving the configured model, and answering a token. */
export function checkLocalServer(url: string, model: string, listing: ProbeResult, generation: GenerationResult | null): DoctorCheck {
  const name = 'local server';
  const where = `${url} (${model})`;
  const setupFix = 'run `mallex setup` to pick a running server and one of its models, or correct backend.url and model in config.yaml';
  if (!listing.ok) return fail(name, `${where}: not reachable: ${listing.reason}`, `start the server (e.g. \`ollama serve\`, LM Studio's server, llama-server), or ${setupFix}`);
  const listed = listing.models.includes(model);
  const served = listing.models.length ? listing.models.join(', ') : 'none';
  if (!generation?.ok) {
    const reason = generation ? generation.reason : 'not tried';
    return fail(name, `${where}: reachable, ${listed ? 'lists the model' : `does not list the model (it serves ${served})`}, but a one-token generation failed: ${reason}`,
      listed ? 'check the server\'s own log: it could not generate with this model' : `set model in config.yaml to one it serves, or ${setupFix}`);
  }
  if (!listed) return warn(name, `${where}: reachable and a one-token generation works, but it does not list the model (it serves ${served})`);
  return pass(name, `${where}: reachable, serves the model, a one-token generation works`);
}
