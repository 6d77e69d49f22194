import type { MallexConfig } from '../../lib/config/schema.js';
import { CLIENT_TOKEN_HEADER } from '../../lib/http/headers.js';

/**
 * Sent as `Authorization: Bearer …` when Claude Code needs no login of its own:
 * with no Claude tier nothing reaches Anthropic, and with authMethod apikey the
 * gateway replaces the client's credentials with the configured key. Claude
 * Code starts without its login screen when ANTHROPIC_AUTH_TOKEN is set
 * (PROTOCOL.md B7), and the real key never leaves mallex's config.
 */
export const PLACEHOLDER_AUTH_TOKEN = 'mallex-placeholder-not-a-credential';

export type ClaudeAuthMode = 'claude-login' | 'placeholder';

/** Which credentials Claude Code should start with (pure). */
export function decideClaudeAuth(config: MallexConfig): ClaudeAuthMode {
  const claudeTiers = Object.values(config.routing.tiers).some((tier) => tier.target === 'claude');
  if (!claudeTiers) return 'placeholder';
  switch (config.routing.authMethod) {
    case 'oauth':
      return 'claude-login';
    case 'apikey':
      return 'placeholder';
    default: {
      const unknownMethod: never = config.routing.authMethod;
      throw new Error(`unknown routing.authMethod ${String(unknownMethod)}`);
    }
  }
}

/**
 * ANTHROPIC_CUSTOM_HEADERS holds "Name: value" lines separated by newlines
 * (PROTOCOL.md part C). Keeps the user's own headers, replaces an old
 * x-mallex-token line, and adds ours last.
 */
export function mergeCustomHeaders(existing: string | undefined, name: string, value: string): string {
  const kept = (existing ?? '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .filter((line) => line.split(':', 1)[0]!.trim().toLowerCase() !== name.toLowerCase());
  return [...kept, `${name}: ${value}`].join('\n');
}

export interface ClaudeEnvironmentInput {
  proxyPort: number;
  clientToken: string;
  auth: ClaudeAuthMode;
}

/** Claude Code's environment: the user's, plus what points it at the gateway (pure). */
export function createClaudeEnvironment(base: NodeJS.ProcessEnv, { proxyPort, clientToken, auth }: ClaudeEnvironmentInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${proxyPort}`;
  env.ANTHROPIC_CUSTOM_HEADERS = mergeCustomHeaders(base.ANTHROPIC_CUSTOM_HEADERS, CLIENT_TOKEN_HEADER, clientToken);
  // The greyed-out next-prompt suggestion is one more model request after
  // every answer: it would double the local model's work and reach the
  // classifier as if it were a prompt.
  env.CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION = 'false';
  switch (auth) {
    case 'claude-login':
      // Nothing added: Claude Code sends the login it already has.
      break;
    case 'placeholder':
      env.ANTHROPIC_AUTH_TOKEN = PLACEHOLDER_AUTH_TOKEN;
      // With both variables set Claude Code warns of an auth conflict and, in
      // interactive mode, asks whether to use the key; mallex does not need it.
      delete env.ANTHROPIC_API_KEY;
      break;
    default: {
      const unknownAuth: never = auth;
      throw new Error(`unknown auth mode ${String(unknownAuth)}`);
    }
  }
  return env;
}

/** The variables that createClaudeEnvironment changed, for `mallex proxy`'s export lines. */
export function listChangedVariables(base: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): Array<{ name: string; value: string | undefined }> {
  const names = [...new Set([...Object.keys(base), ...Object.keys(env)])].sort();
  return names.filter((name) => base[name] !== env[name]).map((name) => ({ name, value: env[name] }));
}
