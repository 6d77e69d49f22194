// The encoder side: every Anthropic event carries both an `event:` and a
// `data:` line (PROTOCOL.md B4: the SDK drops events without a name).

export function encodeSseEvent(event: string | undefined, data: string): string {
  const name = event === undefined ? '' : `event: ${event}\n`;
  // A "\n" inside data would end the field; the spec's way is one data line per line.
  const body = data.includes('\n') || data.includes('\r') ? data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n') : `data: ${data}`;
  return `${name}${body}\n\n`;
}

/** An SSE event whose data is JSON: `event: <type>` + `data: <json>`. */
export function encodeSseJson(event: string, value: unknown): string {
  return encodeSseEvent(event, JSON.stringify(value));
}

export function encodeSseComment(text: string): string {
  return `: ${text.replace(/\r\n|\r|\n/g, ' ')}\n\n`;
}
