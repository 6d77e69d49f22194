import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyChip } from './classify-chip.js';
import { detectHardware, type HardwareSources } from './detect-hardware.js';
import { describeHardware } from './hardware.js';
import { parseCpuinfo, parseMeminfo } from './parse-linux-hardware.js';

// Recorded outputs. macOS: `sysctl -n machdep.cpu.brand_string` and `sysctl -n hw.memsize`
// (each ends in a newline, as sysctl prints it).
const MACS: Array<{ brand: string; memsize: string; cpu: string; gb: number; chipClass: string | null; generation: number | null }> = [
  { brand: 'Apple M1\n', memsize: '8589934592\n', cpu: 'Apple M1', gb: 8, chipClass: 'base', generation: 1 },
  { brand: 'Apple M2\n', memsize: '17179869184\n', cpu: 'Apple M2', gb: 16, chipClass: 'base', generation: 2 },
  { brand: 'Apple M2 Pro\n', memsize: '34359738368\n', cpu: 'Apple M2 Pro', gb: 32, chipClass: 'pro', generation: 2 },
  { brand: 'Apple M3 Max\n', memsize: '68719476736\n', cpu: 'Apple M3 Max', gb: 64, chipClass: 'max-ultra', generation: 3 },
  { brand: 'Apple M2 Ultra\n', memsize: '206158430208\n', cpu: 'Apple M2 Ultra', gb: 192, chipClass: 'max-ultra', generation: 2 },
  { brand: 'Apple M4 Pro\n', memsize: '25769803776\n', cpu: 'Apple M4 Pro', gb: 24, chipClass: 'pro', generation: 4 },
  { brand: 'Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz\n', memsize: '17179869184\n', cpu: 'Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz', gb: 16, chipClass: null, generation: null },
];

// /proc/cpuinfo and /proc/meminfo as three kernels print them (first processor shown).
const CPUINFO_X86 = `processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
stepping\t: 1
cpu MHz\t\t: 2095.987
`;
const CPUINFO_ASAHI = `processor\t: 0
BogoMIPS\t: 48.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm jscvt fcma lrcpc dcpop sha3 asimddp sha512 asimdfhm dit uscat ilrcpc flagm ssbs sb paca pacg dcpodp flagm2 frint
CPU implementer\t: 0x61
CPU architecture: 8
CPU variant\t: 0x1
CPU part\t: 0x022
CPU revision\t: 1
`;
const CPUINFO_RPI = `processor\t: 0
BogoMIPS\t: 108.00
CPU implementer\t: 0x41
CPU part\t: 0xd08

Hardware\t: BCM2835
Revision\t: c03111
Model\t\t: Raspberry Pi 4 Model B Rev 1.1
`;
const MEMINFO = `MemTotal:       24683620 kB
MemFree:        24182112 kB
MemAvailable:   24363412 kB
`;

function createSources(platform: NodeJS.Platform, answers: Record<string, string | null>): HardwareSources & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    platform,
    runCommand: (command, args) => {
      const key = [command, ...args].join(' ');
      asked.push(key);
      return answers[key] ?? null;
    },
    readFile: (filePath) => {
      asked.push(filePath);
      return answers[filePath] ?? null;
    },
    totalMemoryBytes: () => 1234 * 1024 * 1024,
  };
}

describe('detectHardware on macOS (recorded sysctl outputs)', () => {
  for (const mac of MACS) {
    it(`reads ${mac.cpu} with ${mac.gb} GB`, () => {
      const sources = createSources('darwin', {
        'sysctl -n machdep.cpu.brand_string': mac.brand,
        'sysctl -n hw.memsize': mac.memsize,
      });
      const hardware = detectHardware(sources);
      assert.deepEqual(sources.asked, ['sysctl -n machdep.cpu.brand_string', 'sysctl -n hw.memsize']);
      assert.equal(hardware.cpu, mac.cpu);
      assert.equal(hardware.memoryBytes, mac.gb * 1024 ** 3);
      assert.equal(hardware.chipClass, mac.chipClass);
      assert.equal(hardware.chipGeneration, mac.generation);
      assert.equal(hardware.appleSilicon, mac.chipClass !== null);
      assert.equal(describeHardware(hardware), `${mac.cpu}, ${mac.gb} GB memory`);
    });
  }

  it('falls back to the total memory Node sees when sysctl fails', () => {
    const hardware = detectHardware(createSources('darwin', {}));
    assert.equal(hardware.cpu, 'unknown CPU');
    assert.equal(hardware.memoryBytes, 1234 * 1024 * 1024);
    assert.equal(hardware.appleSilicon, false);
  });
});

describe('detectHardware on Linux (recorded /proc files)', () => {
  it('reads the x86 model name and MemTotal', () => {
    const sources = createSources('linux', { '/proc/cpuinfo': CPUINFO_X86, '/proc/meminfo': MEMINFO });
    const hardware = detectHardware(sources);
    assert.deepEqual(sources.asked, ['/proc/cpuinfo', '/proc/meminfo']);
    assert.deepEqual(hardware, { platform: 'linux', cpu: 'AMD EPYC', memoryBytes: 24683620 * 1024, appleSilicon: false, chipClass: null, chipGeneration: null });
  });

  it('names an Apple chip under Asahi Linux but does not call it usable Apple Silicon', () => {
    assert.equal(parseCpuinfo(CPUINFO_ASAHI), 'Apple Silicon (under Linux)');
    const hardware = detectHardware(createSources('linux', { '/proc/cpuinfo': CPUINFO_ASAHI, '/proc/meminfo': MEMINFO }));
    assert.equal(hardware.appleSilicon, false);
  });

  it('uses the Hardware line of an ARM board', () => {
    assert.equal(parseCpuinfo(CPUINFO_RPI), 'BCM2835');
  });

  it('returns null memory for a meminfo without MemTotal', () => {
    assert.equal(parseMeminfo('MemFree: 1 kB\n'), null);
  });

  it('reads this machine for real', () => {
    if (process.platform !== 'linux') return;
    const hardware = detectHardware();
    assert.equal(hardware.platform, 'linux');
    assert.notEqual(hardware.cpu, 'unknown CPU');
    assert.ok(hardware.memoryBytes && hardware.memoryBytes > 512 * 1024 * 1024);
  });
});

describe('classifyChip', () => {
  const cases: Array<[string, string | null]> = [
    ['Apple M1', 'base'],
    ['Apple M1 Pro', 'pro'],
    ['Apple M1 Max', 'max-ultra'],
    ['Apple M1 Ultra', 'max-ultra'],
    ['Apple M5', 'base'],
    ['Intel(R) Xeon(R) W-3245 CPU @ 3.20GHz', null],
    ['AMD EPYC', null],
  ];
  for (const [name, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(classifyChip(name).chipClass, expected));
  }
});
