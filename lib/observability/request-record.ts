// One line of $MALLEX_HOME/requests.jsonl: what happened to one request.
// Never prompt text, never a credential: only routing facts and numbers.

export type Route = 'local' | 'claude';

export interface RequestRecord {
  /** ISO time the request arrived. */
  at: string;
  id: string;
  session: string | null;
  route: Route;
  tier: number;
  /** Why this route: classified, background, tool-loop, overflow, local-unavailable, context, escalation, resend, server-tool, cloud-fallback, … */
  reason: string;
  category: string | null;
  /** The model that answered: the local model id, or the Claude model id sent upstream. */
  model: string;
  /** True when "try again" moved this turn up a tier. */
  escalated: boolean;
  classifierMs: number | null;
  ttftMs: number | null;
  durationMs: number;
  status: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Local route: the prompt's estimated tokens before and after trimming. */
  promptTokensBefore: number | null;
  promptTokensAfter: number | null;
  /** Anthropic error type when the request failed. */
  errorType: string | null;
  /**
   * What the gateway changed in the transcript it sent to Claude so Anthropic
   * accepts it (local thinking removed, thinking dropped for a tool loop, …);
   * empty when nothing was changed or nothing went to Claude.
   */
  transcriptAdjustments: string[];
  /** foreground: the user's work (prompts, tool loops, sub-agents); background: titles, summaries, Warmup. Missing in older lines. */
  priority?: 'foreground' | 'background';
  /**
   * What the local model's scheduler did with a background request: ran (at once), queued (then ran),
   * preempted (stopped by a prompt at least once, then ran), expired (not run in time), refused (the queue was full).
   */
  schedule?: 'ran' | 'queued' | 'preempted' | 'expired' | 'refused' | null;
  /** Times a prompt stopped this background request on the local model. */
  preemptions?: number;
  /** Time a background request waited for the local model. */
  queuedMs?: number | null;
  /** A new prompt's predicted wait for the local model's first token, when it was predicted. */
  predictedWaitMs?: number | null;
}
