import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { Hardware } from './hardware.js';
import { parseLinuxHardware } from './parse-linux-hardware.js';
import { parseMacosHardware } from './parse-macos-hardware.js';

/** The machine's ways of answering; injected so tests can feed recorded outputs. */
export interface HardwareSources {
  platform: NodeJS.Platform;
  /** Runs a command and returns its stdout, or null when it failed. */
  runCommand(command: string, args: string[]): string | null;
  /** Reads a file, or null when it cannot be read. */
  readFile(filePath: string): string | null;
  /** Last resort when the platform's own sources fail. */
  totalMemoryBytes(): number;
}

const systemHardwareSources: HardwareSources = {
  platform: process.platform,
  runCommand(command, args) {
    try {
      return execFileSync(command, args, { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return null;
    }
  },
  readFile(filePath) {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return null;
    }
  },
  totalMemoryBytes: () => os.totalmem(),
};

export function detectHardware(sources: HardwareSources = systemHardwareSources): Hardware {
  let hardware: Hardware;
  switch (sources.platform) {
    case 'darwin':
      hardware = parseMacosHardware(
        sources.runCommand('sysctl', ['-n', 'machdep.cpu.brand_string']),
        sources.runCommand('sysctl', ['-n', 'hw.memsize']),
      );
      break;
    case 'linux':
      hardware = parseLinuxHardware(sources.readFile('/proc/cpuinfo'), sources.readFile('/proc/meminfo'));
      break;
    default:
      hardware = { platform: 'other', cpu: 'unknown CPU', memoryBytes: null, appleSilicon: false, chipClass: null, chipGeneration: null };
  }
  return hardware.memoryBytes === null ? { ...hardware, memoryBytes: sources.totalMemoryBytes() || null } : hardware;
}
