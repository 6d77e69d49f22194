import { classifyChip } from './classify-chip.js';
import type { Hardware } from './hardware.js';

// Apple's ARM implementer code, as Asahi Linux reports it in /proc/cpuinfo.
const APPLE_IMPLEMENTER = '0x61';

function readField(text: string, name: string): string | undefined {
  const match = new RegExp(`^${name}\\s*:\\s*(.+)$`, 'mi').exec(text);
  return match?.[1]?.trim() || undefined;
}

/** The CPU name from /proc/cpuinfo: x86 has "model name"; ARM kernels often only "Hardware" or an implementer code. */
export function parseCpuinfo(text: string): string {
  const name = readField(text, 'model name') ?? readField(text, 'Hardware') ?? readField(text, 'cpu model');
  if (name) return name;
  const implementer = readField(text, 'CPU implementer');
  if (implementer === APPLE_IMPLEMENTER) return 'Apple Silicon (under Linux)';
  return implementer ? `ARM CPU (implementer ${implementer})` : 'unknown CPU';
}

/** MemTotal from /proc/meminfo in bytes (the kernel writes kB meaning KiB); null when absent. */
export function parseMeminfo(text: string): number | null {
  const match = /^MemTotal:\s*(\d+)\s*kB/im.exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

export function parseLinuxHardware(cpuinfo: string | null, meminfo: string | null): Hardware {
  const cpu = cpuinfo === null ? 'unknown CPU' : parseCpuinfo(cpuinfo);
  // MLX needs macOS, so even an Apple chip under Linux is not Apple Silicon for mallex.
  const chip = classifyChip(cpu);
  return { platform: 'linux', cpu, memoryBytes: meminfo === null ? null : parseMeminfo(meminfo), ...chip, appleSilicon: false };
}
