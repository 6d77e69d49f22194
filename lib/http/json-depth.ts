// Deeply nested JSON parses fine (V8's JSON.parse is iterative) and then
// overflows the stack of the first recursive walk over it: JSON.stringify
// when a service forwards the body, or a schema check. Measured on the raw
// bytes, before parsing, so such a body is refused with a 400 up front.

/** Far deeper than any real request: Claude Code's own nest about 12 levels. */
export const MAX_JSON_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether objects and arrays nest deeper than maxDepth (brackets inside strings do not count). */
export function exceedsJsonDepth(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH): boolean {
  // Each level takes at least one byte: a shorter body cannot be too deep.
  if (bytes.length <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}
