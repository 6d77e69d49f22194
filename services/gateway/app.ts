import { writeLogLine } from '../../lib/log/write-log-line.js';
import type { Express } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createServiceApp, finishServiceApp, flushBeforeExit } from '../../lib/http/create-service-app.js';
import { CLIENT_TOKEN_HEADER } from '../../lib/http/headers.js';
import { createClassifierClient } from './forward/ask-classifier.js';
import { createClaudeProxy } from './forward/claude-proxy.js';
import { createTranslatorForwarder } from './forward/forward-to-translator.js';
import { PREFILL_TOKENS_PER_SECOND } from '../../lib/models/prefill-speed.js';
import { detectModelSize } from '../../lib/models/model-size.js';
import { LocalScheduler } from './schedule/local-scheduler.js';
import { createMlxManagerStateSource, type LocalStateSource } from './local/local-state.js';
import type { GatewayContext } from './messages/exchange.js';
import { createMessagesHandler } from './messages/handle-messages.js';
import { createRecordEmitter, type RequestRecordSink } from './record/gateway-record.js';
import { SessionStore } from './route/session-store.js';
import { createDebugDumpWriter } from '../../lib/observability/debug-dump.js';
import { createGatewayMetrics, type GatewayMetrics } from '../../lib/observability/gateway-metrics.js';
import { redactHeaders } from '../../lib/observability/redact.js';
import { createRequestLog } from '../../lib/observability/request-log.js';
import { homePaths } from '../../lib/paths.js';
import type { NextFunction, Request, Response } from 'express';

export interface GatewayDependencies {
  config: MallexConfig;
  clientToken: string;
  internalToken: string;
  /** MALLEX_HOME: where the request log and debug dumps go. */
  home: string;
  /** Where the local model's state comes from; default: the mlx-manager's GET /status. */
  localState?: LocalStateSource;
  /** Receive every request record besides the request log and metrics; the log line is always written. */
  recordSinks?: RequestRecordSink[];
  /** The Prometheus metrics served at /metrics; default: a fresh registry. */
  metrics?: GatewayMetrics;
  /** Where log lines go; default stdout (pm2 keeps it). */
  writeLine?: (line: string) => void;
  /** Told the local in-flight count (foreground and background running) on every change. */
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
  const writeLine = deps.writeLine ?? writeLogLine;
  const paths = homePaths(deps.home);
  const metrics = deps.metrics ?? createGatewayMetrics();
  const requestLog = createRequestLog(paths.requestLog, config.logs.requestLogMaxBytes);
  const requestDump = createDebugDumpWriter(paths.lastRequest, config.debug.dumps);
  // The records of requests cut by a shutdown are written before the process exits: a record is built
  // once its request's steps have returned, a few ticks after the connection closed.
  const pendingRecords = new Set<Promise<void>>();
  flushBeforeExit(app, async () => {
    await Promise.all(pendingRecords);
    await Promise.all([requestLog.flush(), requestDump.flush()]);
  });
  const localState =
    deps.localState ?? createMlxManagerStateSource({
      baseUrl: `http://127.0.0.1:${config.servicePorts.mlxManager}`,
      internalToken: deps.internalToken,
      onStatus: (status) => metrics.setLocalRestarts(status.restartsByReason ?? {}),
    });
  const scheduler = new LocalScheduler({
    policy: { localConcurrency: config.routing.localConcurrency, backgroundQueueSize: config.routing.backgroundQueueSize },
    state: localState,
    defaultTokensPerSecond: PREFILL_TOKENS_PER_SECOND[config.modelSize ?? detectModelSize(config.model).size],
    now: deps.now ?? Date.now,
    onChange(counts) {
      const inFlight = counts.runningForeground + counts.runningBackground;
      // Waiting work counts too: a request while the server is idle-stopped starts it.
      localState.reportActivity(inFlight + counts.waitingForeground + counts.queuedBackground);
      metrics.setLocalSchedule(counts);
      deps.onLocalInFlight?.(inFlight);
    },
  });
  const context: GatewayContext = {
    config,
    internalToken: deps.internalToken,
    sessions: new SessionStore({ ttlMs: config.routing.sessionTtlMinutes * 60_000, maxSessions: config.routing.maxSessions }),
    scheduler,
    claudeProxy: createClaudeProxy(config.claude.baseUrl),
    classify: createClassifierClient(config, deps.internalToken, writeLine),
    emitRecord: createRecordEmitter(writeLine, [requestLog.append, metrics.recordRequest, ...(deps.recordSinks ?? [])]),
    pendingRecords,
    now: deps.now ?? Date.now,
    claudeRetryDelayMs: deps.claudeRetryDelayMs ?? 250,
    waitPollMs: deps.waitPollMs ?? 500,
  };

  for (const path of PROBE_PATHS) app.head(path, (_req, res) => void res.status(200).end());
  const forwardToTranslator = createTranslatorForwarder({ translatorPort: config.servicePorts.translator, internalToken: deps.internalToken });
  app.post('/v1/messages/count_tokens', forwardToTranslator);
  app.get('/v1/models', forwardToTranslator);
  // What Claude Code sent, credentials redacted (config debug.dumps); serialised after the response is under way.
  const recordLastRequest = (req: Request, _res: Response, next: NextFunction) => {
    const { method, originalUrl, headers, body } = req;
    requestDump.write(() => ({ method, url: originalUrl, headers: redactHeaders(headers), body }));
    next();
  };
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });
  app.post('/v1/messages', recordLastRequest, createMessagesHandler(context));
  return finishServiceApp(app);
}
