// The converter names what the local model does not get (ignored fields,
// capped max_tokens, dropped thinking). Claude Code sends the same ones on
// every request, so a line per request would repeat itself and cost a pipe
// write to pm2 on the request path: each kind is logged the first time only.

/** "cache_control ignored (×3)" and "(×7)" are one kind; so are different max_tokens caps. */
function kindOf(warning: string): string {
  return warning.replace(/\d+/g, 'N');
}

/** Returns the warnings whose kind was not seen before; remembers at most `limit` kinds. */
export function createFirstSeenWarnings(limit = 200): (warnings: readonly string[]) => string[] {
  const seen = new Set<string>();
  return (warnings) => {
    const fresh: string[] = [];
    for (const warning of warnings) {
      const kind = kindOf(warning);
      if (seen.has(kind) || seen.size >= limit) continue;
      seen.add(kind);
      fresh.push(warning);
    }
    return fresh;
  };
}
