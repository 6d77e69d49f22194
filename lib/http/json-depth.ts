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

/**
 * Strings are most of a Claude Code request's bytes (the system prompt, tool
 * descriptions), and most strings are short keys. A string is read byte by
 * byte up to this length; past it, the scan jumps from quote to quote with
 * the native indexOf, which is several times faster over prose.
 */
const SHORT_STRING_BYTES = 32;

/** Whether the quote at `index` is escaped: an odd run of backslashes right before it. */
function isEscaped(bytes: Uint8Array, index: number): boolean {
  let backslashes = 0;
  while (bytes[index - 1 - backslashes] === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

/** The index of the quote that closes the string opened at `open`, or -1 when it never closes. */
function findStringEnd(bytes: Uint8Array, open: number): number {
  const shortEnd = Math.min(bytes.length, open + 1 + SHORT_STRING_BYTES);
  let index = open + 1;
  for (; index < shortEnd; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) return index;
    if (byte === BACKSLASH) index++; // the escaped byte is skipped
  }
  // A run of backslashes cannot reach back past the opening quote, so the parity test holds from here.
  for (;;) {
    const quote = bytes.indexOf(QUOTE, index);
    if (quote === -1 || !isEscaped(bytes, quote)) return quote;
    index = quote + 1;
  }
}

/** Whether objects and arrays nest deeper than maxDepth (brackets inside strings do not count). */
export function exceedsJsonDepth(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH): boolean {
  // Each level takes at least one byte: a shorter body cannot be too deep.
  if (bytes.length <= maxDepth) return false;
  let depth = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = findStringEnd(bytes, index);
      // An unclosed string: JSON.parse refuses the body, with a better message than this scan could give.
      if (index === -1) return false;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}
