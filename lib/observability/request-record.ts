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
}
