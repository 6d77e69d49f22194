import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PACKAGE_ROOT } from '../../../lib/paths.js';

// Builds the fake mlx-lm as a real wheel, without network or setuptools: a
// wheel is a zip holding the packages and a .dist-info folder (PEP 427).
// pip then installs it through the real install path (mlx.pipArgs:
// --no-index --find-links DIR).

/** The Python sources (not compiled by tsc, so read from the source tree). */
export const FAKE_MLX_SOURCE_DIR = path.join(PACKAGE_ROOT, 'test', 'fakes', 'fake-mlx-lm', 'python');

// Fixed timestamps keep the wheel byte-for-byte reproducible.
const DOS_DATE_1980_01_01 = (1 << 5) | 1;

interface ZipEntry {
  name: string;
  data: Buffer;
}

function listSourceFiles(dir: string, prefix = ''): ZipEntry[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry): ZipEntry[] => {
    if (entry.name === '__pycache__') return [];
    const full = path.join(dir, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listSourceFiles(full, name);
    return entry.name.endsWith('.py') ? [{ name, data: fs.readFileSync(full) }] : [];
  });
}

function hashForRecord(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/** A zip archive with stored (uncompressed) entries: all a wheel needs. */
function createZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = zlib.crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Writes mlx_lm-VERSION-py3-none-any.whl into outDir and returns its path. */
export function buildFakeWheel({ outDir, version = '0.32.2' }: { outDir: string; version?: string }): string {
  const distInfo = `mlx_lm-${version}.dist-info`;
  const files: ZipEntry[] = [
    ...listSourceFiles(FAKE_MLX_SOURCE_DIR),
    {
      name: `${distInfo}/METADATA`,
      data: Buffer.from(`Metadata-Version: 2.1\nName: mlx-lm\nVersion: ${version}\nSummary: A stdlib-only fake of mlx-lm and mlx.core for mallex's tests\nRequires-Python: >=3.10\n`),
    },
    { name: `${distInfo}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: mallex-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n') },
    { name: `${distInfo}/entry_points.txt`, data: Buffer.from('[console_scripts]\nmlx_lm.server = mlx_lm.server:main\n') },
  ];
  const record = [...files.map((file) => `${file.name},${hashForRecord(file.data)},${file.data.length}`), `${distInfo}/RECORD,,`].join('\n');
  files.push({ name: `${distInfo}/RECORD`, data: Buffer.from(`${record}\n`) });
  fs.mkdirSync(outDir, { recursive: true });
  const wheelPath = path.join(outDir, `mlx_lm-${version}-py3-none-any.whl`);
  fs.writeFileSync(wheelPath, createZip(files));
  return wheelPath;
}
