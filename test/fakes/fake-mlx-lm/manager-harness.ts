import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../../lib/config/load-config.js';
import type { MallexConfig } from '../../../lib/config/schema.js';
import type { BackendSupervisor, SupervisorTimings } from '../../../services/mlx-manager/backend-supervisor.js';
import { createSupervisor } from '../../../services/mlx-manager/create-supervisor.js';
import type { ServerStatus } from '../../../services/mlx-manager/server-status.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { buildFakeWheel } from './build-fake-wheel.js';
import { readFakeEvents, writeFakeControl } from './fake-control.js';
import { isProcessAlive } from '../../../services/mlx-manager/process/process-identity.js';

// What the mlx-manager integration tests share: one temp MALLEX_HOME per test
// file (so the venv is made once), fake wheels pip installs from, supervisors
// with short waits, and cleanup of every process the test caused.

export const FAKE_MODEL = 'mlx-community/fake-model-4bit';

/** Short waits so crash, hang and idle paths take a second, not minutes. */
export const FAST_TIMINGS: Partial<SupervisorTimings> = {
  backoffBaseMs: 150,
  backoffCapMs: 1000,
  killGraceMs: 1500,
  threadDeathGraceMs: 100,
  oomExitWaitMs: 1500,
  readinessRetryMs: 100,
  tickMs: 100,
  unreachableRetryMs: 200,
};

export interface ManagerHarness {
  temp: TempHome;
  wheelDir: string;
  /** config.yaml = test defaults merged with `overrides`, loaded and validated like the real thing. */
  writeConfig(overrides?: Record<string, unknown>): MallexConfig;
  /** A supervisor plus every status it reported, in order. */
  createSupervisor(overrides?: Record<string, unknown>, timings?: Partial<SupervisorTimings>): { supervisor: BackendSupervisor; history: ServerStatus[]; config: MallexConfig };
  /** Starts the fake server directly (not through mallex), e.g. as a foreign listener. */
  spawnFakeServer(args: string[]): ChildProcess;
  cleanup(): Promise<void>;
}

export async function createManagerHarness(): Promise<ManagerHarness> {
  const temp = await createTempHome();
  const wheelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-wheels-'));
  buildFakeWheel({ outDir: wheelDir, version: '0.32.2' });
  buildFakeWheel({ outDir: wheelDir, version: '0.32.3' });
  const supervisors: BackendSupervisor[] = [];
  const children: ChildProcess[] = [];

  const writeConfig = (overrides: Record<string, unknown> = {}): MallexConfig => {
    const { mlx, ...rest } = overrides as { mlx?: Record<string, unknown> };
    temp.writeConfig({
      model: FAKE_MODEL,
      idleTimeoutMinutes: 0,
      backend: { kind: 'mlx' },
      ...rest,
      mlx: {
        package: 'mlx-lm==0.32.2',
        pipArgs: ['--no-index', '--find-links', wheelDir],
        startTimeoutSeconds: 20,
        livenessIntervalSeconds: 60,
        livenessTimeoutSeconds: 2,
        maxRestarts: 3,
        ...mlx,
      },
    });
    return loadConfig(temp.home).config;
  };

  return {
    temp,
    wheelDir,
    writeConfig,
    createSupervisor(overrides = {}, timings = {}) {
      const config = writeConfig(overrides);
      const supervisor = createSupervisor(config, temp.home, { timings: { ...FAST_TIMINGS, ...timings } });
      const history: ServerStatus[] = [supervisor.readStatus()];
      supervisor.subscribe((status) => history.push(status));
      supervisors.push(supervisor);
      return { supervisor, history, config };
    },
    spawnFakeServer(args) {
      const child = spawn(path.join(temp.home, 'venv', 'bin', 'python'), ['-m', 'mlx_lm.server', ...args], { stdio: 'ignore' });
      children.push(child);
      return child;
    },
    async cleanup() {
      for (const supervisor of supervisors.splice(0)) await supervisor.shutdown();
      for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Anything the fake recorded as started from this home and still alive was started by this test.
      for (const event of readFakeEvents(temp.home)) if (event.event === 'start' && isProcessAlive(event.pid)) process.kill(event.pid, 'SIGKILL');
    },
  };
}

/** Resolves with the first status (current or future) that matches; rejects after timeoutMs with the last one seen. */
export function waitForStatus(supervisor: BackendSupervisor, matches: (status: ServerStatus) => boolean, timeoutMs: number): Promise<ServerStatus> {
  const current = supervisor.readStatus();
  if (matches(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    let last = current;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching status within ${timeoutMs} ms; last: ${JSON.stringify(last)}`));
    }, timeoutMs);
    const unsubscribe = supervisor.subscribe((status) => {
      last = status;
      if (!matches(status)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(status);
    });
  });
}

export function waitForState(supervisor: BackendSupervisor, state: ServerStatus['state'], timeoutMs: number): Promise<ServerStatus> {
  return waitForStatus(supervisor, (status) => status.state === state, timeoutMs);
}

/** Polls until the pid is gone (bounded). */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(25);
  return !isProcessAlive(pid);
}


/**
 * A harness whose venv already holds the fake mlx-lm: the venv and the pip
 * install (seconds on a small machine) happen once, here, and every test of
 * the file starts from a stopped supervisor with the package in place.
 */
export async function createInstalledManagerHarness(): Promise<ManagerHarness> {
  const harness = await createManagerHarness();
  writeFakeControl(harness.temp.home, {});
  const { supervisor } = harness.createSupervisor();
  supervisor.start();
  await waitForState(supervisor, 'ready', 90_000);
  await harness.cleanup();
  return harness;
}
