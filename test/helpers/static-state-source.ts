import type { LocalSnapshot, LocalStateSource } from '../../services/gateway/local/local-state.js';

/** A local model state the test sets, with the in-flight counts the gateway reported, in place of the mlx-manager. */
export function createStaticStateSource(initial: LocalSnapshot): LocalStateSource & { set(next: LocalSnapshot): void; activity: number[] } {
  let current = initial;
  const activity: number[] = [];
  return {
    activity,
    set(next) {
      current = next;
    },
    readState: async () => current,
    reportActivity: (inFlight) => void activity.push(inFlight),
  };
}
