import type { Express } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createServiceApp, finishServiceApp } from '../../lib/http/create-service-app.js';
import { CLIENT_TOKEN_HEADER } from '../../lib/http/headers.js';
import { createClassifierClient } from './forward/ask-classifier.js';
import { createClaudeProxy } from './forward/claude-proxy.js';
import { createTranslatorForwarder } from './forward/forward-to-translator.js';
import { LocalLoad } from './local/local-load.js';
import { createMlxManagerStateSource, type LocalStateSource } from './local/local-state.js';
import type { GatewayContext } from './messages/exchange.js';
import { createMessagesHandler } from './messages/handle-messages.js';
import { createRecordEmitter, type RequestRecordSink } from './record/gateway-record.js';
import { SessionStore } from './route/session-store.js';

export interface GatewayDependencies {
  config: MallexConfig;
  clientToken: string;
  internalToken: string;
  /** MALLEX_HOME: where the request log and debug dumps go. */
  home: string;
  /** Where the local model's state comes from; default: the mlx-manager's GET /status. */
  localState?: LocalStateSource;
  /** Receive every request record (request log, metrics); the log line is always written. */
  recordSinks?: RequestRecordSink[];
  /** Where log lines go; default stdout (pm2 keeps it). */
  writeLine?: (line: string) => void;
  /** Told the local in-flight count on every change (metrics). */
  onLocalInFlight?: (inFlight: number) => void;
  now?: () => number;
  claudeRetryDelayMs?: number;
  waitPollMs?: number;
}

/** Connectivity probes Claude Code may send without its custom headers (PROTOCOL.md B1). */
const PROBE_PATHS = ['/', '/api/hello'];

export function createApp(deps: GatewayDependencies): Express {
  const { config } = deps;
  const app = createServiceApp({
    name: 'gateway',
    tokenHeader: CLIENT_TOKEN_HEADER,
    token: deps.clientToken,
    describeToken: 'start Claude Code with `mallex` so it sends the token from $MALLEX_HOME/token',
    openPaths: ['/health', ...PROBE_PATHS],
  });
  const writeLine = deps.writeLine ?? ((line: string) => console.log(line));
  const localState =
    deps.localState ?? createMlxManagerStateSource({ baseUrl: `http://127.0.0.1:${config.servicePorts.mlxManager}`, internalToken: deps.internalToken });
  const load = new LocalLoad((current) => {
    localState.reportActivity(current.wanted);
    deps.onLocalInFlight?.(current.inFlight);
  });
  const context: GatewayContext = {
    config,
    internalToken: deps.internalToken,
    sessions: new SessionStore({ ttlMs: config.routing.sessionTtlMinutes * 60_000, maxSessions: config.routing.maxSessions }),
    load,
    localState,
    claudeProxy: createClaudeProxy(config.claude.baseUrl),
    classify: createClassifierClient(config, deps.internalToken, writeLine),
    emitRecord: createRecordEmitter(writeLine, deps.recordSinks ?? []),
    now: deps.now ?? Date.now,
    claudeRetryDelayMs: deps.claudeRetryDelayMs ?? 250,
    waitPollMs: deps.waitPollMs ?? 500,
  };

  for (const path of PROBE_PATHS) app.head(path, (_req, res) => void res.status(200).end());
  const forwardToTranslator = createTranslatorForwarder({ translatorPort: config.servicePorts.translator, internalToken: deps.internalToken });
  app.post('/v1/messages/count_tokens', forwardToTranslator);
  app.get('/v1/models', forwardToTranslator);
  app.post('/v1/messages', createMessagesHandler(context));
  return finishServiceApp(app);
}
