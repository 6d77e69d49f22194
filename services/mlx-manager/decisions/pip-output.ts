// pip's output, turned into the status message during an install and the
// error lines shown when it fails. pip prints no progress bar when its output
// is not a terminal, so the message is the step it is on.

const STEP = /^(Collecting|Downloading|Obtaining|Processing|Building wheel|Installing collected packages|Successfully installed|Requirement already satisfied)\b/;

/** A short description of the step a pip output line announces, or null for other lines. */
export function summarizePipLine(line: string): string | null {
  const trimmed = line.trim();
  if (!STEP.test(trimmed)) return null;
  return trimmed.length > 160 ? `${trimmed.slice(0, 157)}...` : trimmed;
}

/** pip's error lines (`ERROR: …`) without the prefix, last ones first kept; at most `limit`. */
export function collectPipErrors(lines: readonly string[], limit = 5): string[] {
  return lines
    .map((line) => line.trim())
    .filter((line) => line.startsWith('ERROR:'))
    .map((line) => line.slice('ERROR:'.length).trim())
    .slice(-limit);
}

/** The single most telling error: pip's last ERROR line, or the exit status. */
export function pickPipError(lines: readonly string[], exitCode: number | null): string {
  const errors = collectPipErrors(lines);
  return errors.at(-1) ?? `pip exited with ${exitCode === null ? 'a signal' : `code ${exitCode}`}`;
}
