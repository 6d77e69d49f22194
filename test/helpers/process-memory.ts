import fs from 'node:fs';

export interface ProcessMemory {
  pid: number;
  /** Resident set size, bytes. */
  rssBytes: number;
  /** Proportional set size, bytes: shared pages divided among the processes that map them. */
  pssBytes: number;
}

/** RSS and PSS of one process from /proc/<pid>/smaps_rollup (Linux); null when it is gone or unreadable. */
export function readProcessMemory(pid: number): ProcessMemory | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return null;
  }
  const readKb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { pid, rssBytes: readKb('Rss'), pssBytes: readKb('Pss') };
}

export const toMegabytes = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
