import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { loadConfig } from '../../lib/config/load-config.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createApp, type TranslatorDependencies } from '../../services/translator/app.js';
import { startFakeModelServer, type FakeModelServer } from '../fakes/fake-model-server.js';

export const INTERNAL_TOKEN = 'translator-test-token';

export interface TranslatorHarness {
  fake: FakeModelServer;
  config: MallexConfig;
  url: string;
  /** The official SDK, pointed at the translator (the internal token rides in defaultHeaders). */
  client: Anthropic;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Loads the default config from a throwaway MALLEX_HOME and applies overrides to the translator section. */
export function loadTestConfig(overrides: Partial<MallexConfig['translator']> = {}, top: Partial<MallexConfig> = {}): MallexConfig {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-translator-'));
  try {
    const { config } = loadConfig(home);
    return { ...config, ...top, translator: { ...config.translator, ...overrides } };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The real translator app, listening on a free loopback port, in front of a fake mlx-lm.server. */
export async function startTranslatorHarness({ config = loadTestConfig(), deps = {}, upstreamUrl }: {
  config?: MallexConfig;
  deps?: Partial<TranslatorDependencies>;
  /** Defaults to the fake's chat URL. */
  upstreamUrl?: (fake: FakeModelServer) => string;
} = {}): Promise<TranslatorHarness> {
  const fake = await startFakeModelServer();
  // Its own MALLEX_HOME: the translator writes last-translated.json there.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-translator-home-'));
  const logs: Array<Record<string, unknown>> = [];
  const app = createApp({
    config,
    internalToken: INTERNAL_TOKEN,
    home,
    upstreamUrl: upstreamUrl ? upstreamUrl(fake) : `${fake.url}/v1/chat/completions`,
    log: (entry) => logs.push(entry),
    ...deps,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new Anthropic({ baseURL: url, apiKey: 'sk-ant-dummy', defaultHeaders: { 'x-mallex-internal-token': INTERNAL_TOKEN }, maxRetries: 0 });
  return {
    fake,
    config,
    url,
    client,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export const userTurn = { model: 'claude-opus-5-5', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'hi' }] };
