import { runCommand } from './run-command.js';

/** The GPU working set MLX reports (`max_recommended_working_set_size`), or null when it reports none. */
export async function probeWorkingSet({ python, wrapperPath, signal }: { python: string; wrapperPath: string; signal: AbortSignal }): Promise<number | null> {
  const result = await runCommand(python, [wrapperPath, '--mallex-probe-device'], { timeoutMs: 60_000, signal });
  if (result.code !== 0) return null;
  try {
    const info = JSON.parse(result.lines.at(-1) ?? '') as { max_recommended_working_set_size?: unknown };
    const bytes = info.max_recommended_working_set_size;
    return typeof bytes === 'number' && bytes > 0 ? bytes : null;
  } catch {
    return null;
  }
}
