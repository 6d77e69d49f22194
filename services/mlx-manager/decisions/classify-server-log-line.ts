import { parseProgressBar, type ProgressBar } from './download-progress.js';

// What a line of mlx-lm.server's output means to the supervisor (PROTOCOL.md A8).

export type LogSignal =
  | { kind: 'oom' }
  | { kind: 'generation-thread-died' }
  | { kind: 'download-progress'; bar: ProgressBar }
  | { kind: 'httpd-started' }
  | { kind: 'none' };

// Metal aborts the process from C++: `libc++abi: terminating due to uncaught
// exception of type std::runtime_error: [METAL] Command buffer execution
// failed: Insufficient Memory (…kIOGPUCommandBufferCallbackErrorOutOfMemory)`,
// and the GPU-recovery variants `Discarded (victim of GPU error/recovery)` and
// `Ignored (for causing prior/excessive GPU errors)` (mlx-lm #1390).
const METAL_OOM = /\[METAL\] Command buffer execution failed: (Insufficient Memory|Discarded|Ignored)|kIOGPUCommandBufferCallbackErrorOutOfMemory/;
// The batch generation thread dies and the HTTP server stays up; every
// completion then hangs (mlx-lm #1505, #1672, #1909, #831).
const GENERATION_THREAD_DIED = /^Exception in thread [^(]*\(_generate\)/;
// Logged before the model has finished loading: not readiness (A2, A8).
const HTTPD_STARTED = /Starting httpd at /;

export function classifyServerLogLine(line: string): LogSignal {
  if (METAL_OOM.test(line)) return { kind: 'oom' };
  if (GENERATION_THREAD_DIED.test(line)) return { kind: 'generation-thread-died' };
  if (HTTPD_STARTED.test(line)) return { kind: 'httpd-started' };
  const bar = parseProgressBar(line);
  if (bar) return { kind: 'download-progress', bar };
  return { kind: 'none' };
}
