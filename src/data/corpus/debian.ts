/**
 * Fetching Debian packages offline-friendly: `apt-get download` into a cache folder and
 * `dpkg -x` into a per-package folder (only when its pairs are not cached yet), each
 * step skipped when its result is already there (incremental). Records each package's name, version, sha256 and licence for the
 * corpus manifest. Serves `xalign data build`.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../../io/atomic';

export interface PackageInfo {
  name: string;
  version: string;
  sha256: string;
  bytes: number;
  licence: string;
  deb: string;
  dir: string;
}

/** True where `apt-get download` and `dpkg -x` can run. */
export function aptAvailable(): boolean {
  const ok = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
  return ok('apt-get') && ok('dpkg') && ok('dpkg-deb');
}

function findDeb(debDir: string, name: string): string | undefined {
  if (!fs.existsSync(debDir)) return undefined;
  const f = fs.readdirSync(debDir).filter((x) => x.startsWith(`${name}_`) && x.endsWith('.deb')).sort();
  return f.length ? path.join(debDir, f[f.length - 1]!) : undefined;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Downloads the packages not yet in `debDir` (one apt call; then one by one if that
 * fails, so one missing package does not stop the others). Returns the names that could
 * not be fetched.
 */
export function downloadPackages(names: string[], debDir: string, log: (s: string) => void): string[] {
  fs.mkdirSync(debDir, { recursive: true });
  const missing = names.filter((n) => !findDeb(debDir, n));
  if (missing.length === 0) return [];
  log(`downloading ${missing.length} Debian package(s) with apt-get download: ${missing.join(' ')}`);
  const all = spawnSync('apt-get', ['download', '-q', ...missing], { cwd: debDir, encoding: 'utf8' });
  if (all.status === 0) return [];
  const failed: string[] = [];
  for (const n of missing) {
    if (findDeb(debDir, n)) continue;
    const r = spawnSync('apt-get', ['download', '-q', n], { cwd: debDir, encoding: 'utf8' });
    if (r.status !== 0 || !findDeb(debDir, n)) {
      failed.push(n);
      log(`  could not download ${n}: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`);
    }
  }
  return failed;
}

const KNOWN_LICENCES: [RegExp, string][] = [
  [/^libreoffice-/, 'MPL-2.0'],
  [/^vlc-l10n$/, 'GPL-2+'],
  [/^libgtk-3-common$/, 'LGPL-2+'],
  [/^gnome-control-center-data$/, 'GPL-2+'],
  [/^cinnamon-l10n$/, 'GPL-2+'],
  [/^nautilus-data$/, 'GPL-3+'],
  [/^libglib2.0-data$/, 'LGPL-2.1+'],
  [/^iso-codes$/, 'LGPL-2.1+'],
];

/** The licence of the main `Files: *` stanza of a copyright file's text, or a known default. */
export function licenceOf(copyright: string | undefined, name: string): string {
  const stanza = copyright ? /^Files:\s*\*\s*$[\s\S]*?^License:\s*(.+)$/m.exec(copyright) : null;
  if (stanza) return stanza[1]!.trim();
  return KNOWN_LICENCES.find(([re]) => re.test(name))?.[1] ?? `see /usr/share/doc/${name}/copyright`;
}

/**
 * Describes a downloaded package (version, sha256, licence). The description is cached
 * next to the .deb by sha256; the first time, the package is unpacked to read its licence.
 */
export function describePackage(name: string, debDir: string, extractDir: string): PackageInfo | undefined {
  const deb = findDeb(debDir, name);
  if (!deb) return undefined;
  const sha256 = sha256File(deb);
  const cacheFile = path.join(debDir, `.${name}.${sha256.slice(0, 16)}.json`);
  if (fs.existsSync(cacheFile)) {
    try {
      return { ...(JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as PackageInfo), dir: path.join(extractDir, name) };
    } catch {
      // rebuild the description below
    }
  }
  // First sight of this package: unpack it (its pairs are not cached either) and read
  // the version and the licence of its copyright file.
  const dir = path.join(extractDir, name);
  const v = spawnSync('dpkg-deb', ['-f', deb, 'Version'], { encoding: 'utf8' });
  const info: PackageInfo = {
    name,
    version: v.status === 0 ? v.stdout.trim() : 'unknown',
    sha256,
    bytes: fs.statSync(deb).size,
    licence: '',
    deb: path.basename(deb),
    dir,
  };
  ensureExtracted(info, debDir);
  const copyright = path.join(dir, 'usr', 'share', 'doc', name, 'copyright');
  info.licence = licenceOf(fs.existsSync(copyright) ? fs.readFileSync(copyright, 'utf8') : undefined, name);
  writeJsonAtomic(cacheFile, info);
  return info;
}

/** Unpacks a described package with `dpkg -x` into `info.dir`, unless already there at this sha256. */
export function ensureExtracted(info: PackageInfo, debDir: string): void {
  const marker = path.join(info.dir, '.xalign-sha256');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === info.sha256) return;
  fs.rmSync(info.dir, { recursive: true, force: true });
  fs.mkdirSync(info.dir, { recursive: true });
  const r = spawnSync('dpkg', ['-x', path.join(debDir, info.deb), info.dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dpkg -x ${info.deb} failed: ${r.stderr.trim()}`);
  fs.writeFileSync(marker, info.sha256);
}
