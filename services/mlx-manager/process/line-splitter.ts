// Splits a byte stream's text into lines. tqdm redraws its bars with a bare
// \r, so \r ends a line too; a line that never ends is cut at a bound so a
// runaway writer cannot grow memory. Empty lines carry nothing and are
// dropped (which also absorbs a \r\n split across two chunks).

const MAX_LINE_CHARS = 16_384;

export function createLineSplitter(onLine: (line: string) => void) {
  let rest = '';
  return {
    push(text: string): void {
      const parts = (rest + text).split(/\r\n|\r|\n/);
      rest = parts.pop() ?? '';
      for (const part of parts) if (part) onLine(part);
      while (rest.length > MAX_LINE_CHARS) {
        onLine(rest.slice(0, MAX_LINE_CHARS));
        rest = rest.slice(MAX_LINE_CHARS);
      }
    },
    flush(): void {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}
