// The local model's load as the gateway sees it: generations and
// classifications in flight, and requests waiting for the model to become
// ready. Routing compares `inFlight` with routing.localConcurrency (issue #6,
// rule 4); every change is reported so the mlx-manager knows it is in use.

export type LocalWork = 'generation' | 'classification' | 'waiting';

export class LocalLoad {
  readonly #counts: Record<LocalWork, number> = { generation: 0, classification: 0, waiting: 0 };

  constructor(private readonly onChange: (load: LocalLoad) => void = () => {}) {}

  /** What occupies the model: generations and classifications. */
  get inFlight(): number {
    return this.#counts.generation + this.#counts.classification;
  }

  /** Everything that wants the model, waiting included. */
  get wanted(): number {
    return this.inFlight + this.#counts.waiting;
  }

  count(work: LocalWork): number {
    return this.#counts[work];
  }

  /** Counts one piece of work; the returned function ends it (calling it twice is harmless). */
  acquire(work: LocalWork): () => void {
    this.#counts[work]++;
    this.onChange(this);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#counts[work]--;
      this.onChange(this);
    };
  }
}
