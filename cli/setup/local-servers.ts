import { requestJson } from '../../lib/http/send-request.js';

/** A server the wizard looks for without being told: a name people know and its usual OpenAI base URL. */
export interface KnownServer {
  name: string;
  url: string;
}

// Only loopback: the wizard never reaches past this machine unless the user types a URL.
export const WELL_KNOWN_SERVERS: readonly KnownServer[] = [
  { name: 'Ollama', url: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', url: 'http://127.0.0.1:1234/v1' },
  { name: 'llama.cpp', url: 'http://127.0.0.1:8080/v1' },
  { name: 'vLLM', url: 'http://127.0.0.1:8000/v1' },
];

export type ProbeResult = { ok: true; models: string[] } | { ok: false; reason: string };

/** Asks one server for the models it serves (GET {url}/models). */
export type ProbeServer = (url: string) => Promise<ProbeResult>;

/** Where the wizard looks and how; injected so tests use fake servers on free ports. */
export interface LocalServerSearch {
  candidates: readonly KnownServer[];
  probe: ProbeServer;
}

// A server on this machine answers /v1/models in milliseconds; a port with
// nothing on it refuses at once. The bound is for a port that accepts and never answers.
const PROBE_TIMEOUT_MS = 1500;

function describeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (code === 'ENOTFOUND') return 'unknown host';
  return (error as Error).message;
}

/** The model ids in an OpenAI /v1/models answer; null when the answer is not one. */
export function readModelIds(answer: unknown): string[] | null {
  const data = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return null;
  return data.map((entry) => (entry as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string' && id !== '');
}

export function createHttpProbe(timeoutMs = PROBE_TIMEOUT_MS): ProbeServer {
  return async (url) => {
    try {
      const ids = readModelIds(await requestJson<unknown>(`${url.replace(/\/+$/, '')}/models`, { timeoutMs }));
      return ids ? { ok: true, models: ids } : { ok: false, reason: `${url}/models is not an OpenAI model list` };
    } catch (error) {
      return { ok: false, reason: describeFailure(error) };
    }
  };
}

export function createLocalServerSearch(): LocalServerSearch {
  return { candidates: WELL_KNOWN_SERVERS, probe: createHttpProbe() };
}

/**
 * A typed server address as an OpenAI base URL: a scheme is added when
 * missing, a bare host:port gets /v1 (where every server named above serves
 * the API), and trailing slashes go. null when it is not an http(s) URL.
 */
export function normalizeServerUrl(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const pathname = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${pathname === '' ? '/v1' : pathname}`;
}

/** "Ollama" for its usual address, else the URL's host:port. */
export function nameServer(url: string, known: readonly KnownServer[] = WELL_KNOWN_SERVERS): string {
  return known.find((server) => server.url === url)?.name ?? new URL(url).host;
}
