import { CLIENT_TOKEN_HEADER, HOP_BY_HOP_HEADERS, INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';

// Which request headers reach Anthropic. Claude Code's own credentials and
// Anthropic headers pass untouched (the user's existing login is what pays);
// mallex's token and hop-by-hop headers never leave the machine. With
// authMethod apikey the configured key replaces the client's credentials.

type HeaderValue = string | string[] | undefined;

/** The beta flag the SDK adds for OAuth tokens (PROTOCOL.md B1); wrong with an API key. */
const OAUTH_BETA = 'oauth-2025-04-20';

export type ClaudeAuth = { method: 'oauth' } | { method: 'apikey'; apiKey: string };

export interface HeaderPlan {
  remove: string[];
  set: Record<string, string>;
}

function listConnectionTokens(value: HeaderValue): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

export function planClaudeHeaders(incoming: Record<string, HeaderValue>, auth: ClaudeAuth): HeaderPlan {
  const remove = new Set<string>([
    ...HOP_BY_HOP_HEADERS,
    ...listConnectionTokens(incoming.connection),
    CLIENT_TOKEN_HEADER,
    INTERNAL_TOKEN_HEADER,
    // Set again for the rewritten body.
    'content-length',
    // An identity answer lets the gateway read the usage numbers as they pass.
    'accept-encoding',
  ]);
  const set: Record<string, string> = {};
  if (auth.method === 'apikey') {
    remove.add('authorization');
    set['x-api-key'] = auth.apiKey;
    const beta = incoming['anthropic-beta'];
    if (beta !== undefined) {
      const flags = listConnectionTokens(beta).filter((flag) => flag !== OAUTH_BETA);
      if (flags.length > 0) set['anthropic-beta'] = flags.join(',');
      else remove.add('anthropic-beta');
    }
  }
  for (const name of Object.keys(set)) remove.delete(name);
  return { remove: [...remove], set };
}
