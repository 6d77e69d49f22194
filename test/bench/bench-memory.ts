import fs from 'node:fs';
import path from 'node:path';
import { readStackMemory } from '../helpers/mallex-stack.js';
import { readProcessMemory, toMegabytes } from '../helpers/process-memory.js';
import type { TempHome } from '../helpers/temp-home.js';

// Each process of the stack: the four services under pm2, and pm2's own
// daemon (which the user runs too), in megabytes. PSS splits shared pages
// (node's own code) between the processes, so its sum is the stack's real
// footprint; RSS counts them in every process.

export interface ProcessMemoryRow {
  process: string;
  rssMb: number;
  pssMb: number;
}

export interface MemorySnapshot {
  processes: ProcessMemoryRow[];
  /** The four services. */
  services: { rssMb: number; pssMb: number };
  /** The four services and the pm2 daemon. */
  withDaemon: { rssMb: number; pssMb: number };
}

function readDaemonPid(temp: TempHome): number | null {
  try {
    return Number(fs.readFileSync(path.join(temp.pm2Home, 'pm2.pid'), 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

const sumRows = (rows: ProcessMemoryRow[]) => ({
  rssMb: Math.round(rows.reduce((total, row) => total + row.rssMb, 0) * 10) / 10,
  pssMb: Math.round(rows.reduce((total, row) => total + row.pssMb, 0) * 10) / 10,
});

export async function snapshotMemory(temp: TempHome): Promise<MemorySnapshot> {
  const services = (await readStackMemory(temp)).map((memory) => ({ process: `mallex-${memory.service}`, rssMb: toMegabytes(memory.rssBytes), pssMb: toMegabytes(memory.pssBytes) }));
  const daemonPid = readDaemonPid(temp);
  const daemon = daemonPid === null ? null : readProcessMemory(daemonPid);
  const daemonRows = daemon ? [{ process: 'pm2 daemon', rssMb: toMegabytes(daemon.rssBytes), pssMb: toMegabytes(daemon.pssBytes) }] : [];
  return { processes: [...services, ...daemonRows], services: sumRows(services), withDaemon: sumRows([...services, ...daemonRows]) };
}
