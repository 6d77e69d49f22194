import { createHash } from 'node:crypto';
import path from 'node:path';
import type { MallexConfig } from '../config/schema.js';
import { PACKAGE_ROOT } from '../paths.js';

export const SERVICE_KEYS = ['gateway', 'classifier', 'translator', 'mlx-manager'] as const;
export type ServiceKey = (typeof SERVICE_KEYS)[number];

export interface ServiceDefinition {
  key: ServiceKey;
  /** On the request path: gateway and translator get V8's optimizing compiler; the others run without it to save memory. */
  hotPath: boolean;
  /** The pm2 process name: what `pm2 ls` and `pm2 monit` show. */
  processName: `mallex-${ServiceKey}`;
  /** Compiled entry point: pm2 runs plain JavaScript, no TypeScript loader. */
  script: string;
  port: number;
}

export function listServiceDefinitions(config: MallexConfig): ServiceDefinition[] {
  const portOf: Record<ServiceKey, number> = {
    gateway: config.proxyPort,
    classifier: config.servicePorts.classifier,
    translator: config.servicePorts.translator,
    'mlx-manager': config.servicePorts.mlxManager,
  };
  return SERVICE_KEYS.map((key) => ({
    key,
    processName: `mallex-${key}`,
    hotPath: key === 'gateway' || key === 'translator',
    script: path.join(PACKAGE_ROOT, 'dist', 'services', key, 'server.js'),
    port: portOf[key],
  }));
}

export interface ServiceEnvironment {
  MALLEX_HOME: string;
  MALLEX_INTERNAL_TOKEN: string;
  MALLEX_CONFIG_JSON: string;
  /** Set only with an API key: tells a key change apart without holding the key. */
  MALLEX_CLAUDE_KEY_ID?: string;
}

/**
 * What pm2 is given for the services. pm2 keeps an app's environment in its
 * process list and writes it to dump.pm2 on `pm2 save`, so the Anthropic API
 * key is left out of the config: the gateway, the one service that sends it,
 * reads it from the user's config.yaml when it starts (service-runtime.ts).
 */
export function createServiceEnvironment(home: string, internalToken: string, config: MallexConfig): ServiceEnvironment {
  const key = config.routing.claudeApiKey;
  const withoutKey: MallexConfig = { ...config, routing: { ...config.routing, claudeApiKey: null } };
  return {
    MALLEX_HOME: home,
    MALLEX_INTERNAL_TOKEN: internalToken,
    MALLEX_CONFIG_JSON: JSON.stringify(withoutKey),
    ...(key ? { MALLEX_CLAUDE_KEY_ID: createHash('sha256').update(key).digest('hex').slice(0, 16) } : {}),
  };
}

/** pm2's app options for one service. Shared by `mallex up` and ecosystem.config.js. */
export function createPm2AppOptions(
  definition: ServiceDefinition,
  env: ServiceEnvironment,
) {
  return {
    name: definition.processName,
    script: definition.script,
    cwd: PACKAGE_ROOT,
    interpreter: process.execPath,
    // Idle memory: a small young generation everywhere, and no optimizing
    // compiler off the request path (about 6 MB less per process). Not V8's
    // --lite-mode: it also turns WebAssembly off, which Node's fetch needs.
    node_args: definition.hotPath
      ? ['--max-semi-space-size=4', '--max-old-space-size=512']
      : ['--optimize-for-size', '--no-opt', '--max-semi-space-size=1', '--max-old-space-size=256'],
    // pm2's metrics agent (pmx) and source-map support each cost several MB
    // per process; mallex exposes its own /metrics.
    pmx: false,
    env: { ...env, NODE_ENV: 'production', disable_source_map_support: 'true' },
    autorestart: true,
    // Restart on crash with a growing delay (100 ms doubling, capped by pm2 at 15 s).
    exp_backoff_restart_delay: 100,
    kill_timeout: 5000,
    merge_logs: true,
    instances: 1,
    exec_mode: 'fork' as const,
  };
}
