import fs from 'node:fs';
import path from 'node:path';

// The test's side of the fake's control files (see python/_fake_mlx_control.py):
// they live in MALLEX_HOME, the folder that holds the venv.

export type Misbehaviour = 'crash' | 'oom' | 'die-thread' | 'hang';

export interface FakeStartBehaviour {
  downloadSteps?: number;
  downloadStepSeconds?: number;
  loadSeconds?: number;
  onLoad?: Misbehaviour;
  onGenerate?: Misbehaviour;
  /** onGenerate applies from generation afterGenerations + 1 on. */
  afterGenerations?: number;
  reply?: string;
}

export interface FakeControl {
  /** max_recommended_working_set_size; null: not reported. */
  workingSetBytes?: number | null;
  /** MLX before 0.25: only mx.metal.set_cache_limit / mx.metal.device_info. */
  oldApi?: boolean;
  /** Behaviour of the 1st, 2nd… start; the last one repeats. */
  starts?: FakeStartBehaviour[];
}

export type FakeEvent =
  | { event: 'start'; pid: number; time: number; start: number; argv: string[]; version: string }
  | { event: 'set_cache_limit'; pid: number; time: number; api: string; value: number }
  | { event: 'generate'; pid: number; time: number; start: number; number: number; max_tokens: number; stream: boolean };

/** Writes the control file and forgets earlier starts and events. */
export function writeFakeControl(home: string, control: FakeControl): void {
  fs.rmSync(path.join(home, 'fake-mlx-state.json'), { force: true });
  fs.rmSync(path.join(home, 'fake-mlx-record.jsonl'), { force: true });
  fs.writeFileSync(path.join(home, 'fake-mlx-control.json'), JSON.stringify(control));
}

export function readFakeEvents(home: string): FakeEvent[] {
  try {
    return fs
      .readFileSync(path.join(home, 'fake-mlx-record.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FakeEvent);
  } catch {
    return [];
  }
}

export function readArgument(argv: string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  return index === -1 ? undefined : argv[index + 1];
}
