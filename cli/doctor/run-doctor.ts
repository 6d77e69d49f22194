import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../lib/config/config-error.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import { estimateDownloadGb } from '../../lib/hardware/model-catalog.js';
import { homePaths, PACKAGE_ROOT } from '../../lib/paths.js';
import { listServiceDefinitions } from '../../lib/stack/service-definitions.js';
import { findExecutable } from '../launch/find-executable.js';
import { readLocalModelStatus } from '../launch/local-model-control.js';
import { isPortFree, isServiceHealthy, readInternalToken, type LocalModelStatus } from '../stack/stack-control.js';
import { checkClaude, checkConfigFileMode, checkDisk, checkLocalModel, checkLocalServer, checkNodeVersion, checkPython, checkTokenFile, checkVenv } from './decide-checks.js';
import { fail, pass, type DoctorCheck } from './doctor-check.js';
import { probeLocalServer } from './probe-local-server.js';
import { locateModelFiles, readFileMode, readFreeBytes, readVenvMlxVersion, runProbe } from './probe-system.js';

export interface DoctorInput {
  home: string;
  /** PATH as the user's shell has it: where `claude` and `python3` are looked up. */
  pathValue: string | undefined;
  loadConfig(): MallexConfig;
  report(check: DoctorCheck): void;
}

const VENV_EXTRA_GB = 1.5; // mlx and mlx-lm's wheels with their dependencies
const DISK_MARGIN_GB = 2;

function readEnginesNode(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  return manifest.engines?.node ?? '>=20';
}

async function checkPorts(config: MallexConfig, healthy: Map<string, boolean>, modelStatus: LocalModelStatus | null): Promise<DoctorCheck> {
  const problems: string[] = [];
  const described: string[] = [];
  for (const definition of listServiceDefinitions(config)) {
    if (await isPortFree(definition.port)) described.push(`${definition.port} free`);
    else if (healthy.get(definition.key)) described.push(`${definition.port} ${definition.key}`);
    else problems.push(`${definition.port} (${definition.key}) is used by another program`);
  }
  if (config.backend.kind === 'mlx') {
    const ours = modelStatus && modelStatus.state !== 'stopped' && modelStatus.state !== 'idle-stopped';
    if (await isPortFree(config.serverPort)) described.push(`${config.serverPort} free`);
    else if (ours) described.push(`${config.serverPort} model server`);
    else problems.push(`${config.serverPort} (serverPort) is used by a program the mlx-manager does not run`);
  }
  if (problems.length) return fail('ports', problems.join('; '), 'stop that program, or choose other ports in config.yaml (proxyPort, servicePorts, serverPort)');
  return pass('ports', described.join(', '));
}

/** Runs every check in order and reports each as it is known; returns whether all passed (warnings pass). */
export async function runDoctor({ home, pathValue, loadConfig, report }: DoctorInput): Promise<boolean> {
  let failed = false;
  const emit = (check: DoctorCheck) => {
    if (check.status === 'fail') failed = true;
    report(check);
  };

  emit(checkNodeVersion(process.versions.node, readEnginesNode()));
  const claude = findExecutable('claude', pathValue);
  emit(checkClaude(claude, claude ? await runProbe(claude, ['--version']) : null));

  let config: MallexConfig;
  try {
    config = loadConfig();
    emit(pass('config', fs.existsSync(homePaths(home).config) ? `${homePaths(home).config} is valid` : 'no config.yaml yet: the defaults apply (`mallex setup` writes one)'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    emit(fail('config', error.message, 'correct the key named above, or run `mallex setup` to write the wizard\'s keys again'));
    emit(fail('remaining checks', 'skipped: they need a valid config', 'fix the config, then run `mallex doctor` again'));
    return false;
  }

  const definitions = listServiceDefinitions(config);
  const healthy = new Map<string, boolean>();
  for (const definition of definitions) healthy.set(definition.key, await isServiceHealthy(definition));
  // The internal token lives in pm2's process list; asking pm2 would start its
  // daemon, so only ask when the mlx-manager is up (and pm2 with it).
  const managerHealthy = healthy.get('mlx-manager') === true;
  const modelStatus = managerHealthy ? await readLocalModelStatus(config, await readInternalToken()) : null;

  if (config.backend.kind === 'mlx') {
    const python = config.mlx.python ?? findExecutable('python3', pathValue) ?? findExecutable('python', pathValue) ?? 'python3';
    emit(checkPython(python, await runProbe(python, ['--version'])));
    const venv = homePaths(home).venv;
    emit(checkVenv(venv, fs.existsSync(venv), fs.existsSync(venv) ? await readVenvMlxVersion(venv) : null, config.mlx.package, modelStatus?.state ?? null));
  } else {
    emit(pass('Python and mlx-lm', `not needed: backend.kind is openai (${config.backend.url})`));
  }

  emit(await checkPorts(config, healthy, modelStatus));
  for (const definition of definitions) {
    emit(healthy.get(definition.key)
      ? pass(definition.processName, `healthy on 127.0.0.1:${definition.port}`)
      : fail(definition.processName, `not answering on 127.0.0.1:${definition.port}`, `run \`mallex up\`; if it keeps failing, \`mallex logs ${definition.key}\` shows why`));
  }
  emit(checkLocalModel(modelStatus, managerHealthy));
  if (config.backend.kind === 'openai') {
    const { listing, generation } = await probeLocalServer(config);
    emit(checkLocalServer(config.backend.url, config.model, listing, generation));
  }
  emit(checkTokenFile(homePaths(home).token, readFileMode(homePaths(home).token)));
  const keyFile = checkConfigFileMode(homePaths(home).config, readFileMode(homePaths(home).config), Boolean(config.routing.claudeApiKey));
  if (keyFile) emit(keyFile);

  if (config.backend.kind === 'mlx') {
    const { cacheFolder, downloaded } = locateModelFiles(config.model);
    const modelGb = estimateDownloadGb(config.model);
    const needGb = modelGb === null ? null : modelGb + DISK_MARGIN_GB + (fs.existsSync(homePaths(home).venv) ? 0 : VENV_EXTRA_GB);
    emit(checkDisk(cacheFolder, readFreeBytes(cacheFolder), needGb, downloaded));
  } else {
    emit(pass('disk space for the model', 'not needed: the external server holds the model'));
  }
  return !failed;
}
