import type { MallexConfig } from '../../lib/config/schema.js';
import { requestJson } from '../../lib/http/send-request.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import type { LocalModelStatus } from '../stack/stack-control.js';

// Talks to the mlx-manager (issue #5): GET /status, POST /start and /stop,
// each with the internal token that `mallex up` gave the services.

const STOP_TIMEOUT_MS = 20_000; // the manager waits for SIGTERM, then SIGKILLs

function managerUrl(config: MallexConfig, route: string): string {
  return `http://127.0.0.1:${config.servicePorts.mlxManager}${route}`;
}

/** The local model server's state, or null when the manager does not say (not running, or no /status yet). */
export async function readLocalModelStatus(config: MallexConfig, internalToken: string | undefined): Promise<LocalModelStatus | null> {
  if (!internalToken) return null;
  try {
    return await requestJson<LocalModelStatus>(managerUrl(config, '/status'), { headers: { [INTERNAL_TOKEN_HEADER]: internalToken }, timeoutMs: 1500 });
  } catch {
    return null;
  }
}

/**
 * Asks the manager to start the model server, without waiting for it: a
 * download or load can take minutes, and the gateway routes around a model
 * that is not ready. Returns the error text when the manager refused.
 */
export async function requestLocalModelStart(config: MallexConfig, internalToken: string | undefined): Promise<string | null> {
  if (!internalToken) return 'the mlx-manager is not running';
  try {
    await requestJson(managerUrl(config, '/start'), { method: 'POST', headers: { [INTERNAL_TOKEN_HEADER]: internalToken }, timeoutMs: 2000 });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function stopLocalModelServer(config: MallexConfig, internalToken: string | undefined): Promise<void> {
  if (!internalToken) throw new Error('the mlx-manager is not running, so there is no model server to stop');
  await requestJson(managerUrl(config, '/stop'), { method: 'POST', headers: { [INTERNAL_TOKEN_HEADER]: internalToken }, timeoutMs: STOP_TIMEOUT_MS });
}
