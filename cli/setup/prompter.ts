// The wizard asks its questions through this interface, so the question flow
// is plain code that tests drive with scripted answers, and enquirer is one
// implementation of it (enquirer-prompter.ts).

export interface PromptChoice {
  value: string;
  label: string;
  hint?: string;
}

export interface Prompter {
  select(question: { message: string; choices: PromptChoice[]; initial: string }): Promise<string>;
  /** flag: the command-line option that answers this question, for a prompter that cannot ask. */
  input(question: { message: string; initial?: string; flag?: string; validate(value: string): string | true }): Promise<string>;
  /** Masked input. An empty answer is allowed only when allowEmpty is set. */
  password(question: { message: string; allowEmpty: boolean; validate(value: string): string | true }): Promise<string>;
  confirm(question: { message: string; initial: boolean }): Promise<boolean>;
}

/** The user left the wizard (Ctrl-C, Esc, or "no" at the end); nothing was written. */
export class SetupCancelledError extends Error {
  override name = 'SetupCancelledError';
  constructor(message = 'setup cancelled; the configuration was not changed') {
    super(message);
  }
}

/** A question could not be answered without a person (no terminal, no flag that decides it). */
export class SetupNeedsAnswerError extends Error {
  override name = 'SetupNeedsAnswerError';
}
