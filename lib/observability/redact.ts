// Headers that carry credentials. Their values never reach a file.
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-mallex-token', 'x-mallex-internal-token', 'proxy-authorization', 'cookie']);

export const REDACTED = '[redacted]';

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const redacted: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    redacted[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return redacted;
}
