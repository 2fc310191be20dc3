import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One version of a throw-away package; `control` adds fields such as `Depends: x` or `Conflicts: y`. */
export interface TinyDeb {
  name: string;
  version: string;
  control?: string[];
  /** Files in /usr/share/doc/<name>/, gzip-compressed when the name ends in `.gz`. */
  docs?: Record<string, string>;
}

/**
 * A flat apt repository of tiny packages in a temp dir, and apt options that keep apt entirely inside
 * it: its own sources list, lists, cache and a copy of the dpkg status file. Nothing on the host
 * changes; `statusFile` is the copy a test edits to pretend a package is installed.
 */
export interface TinyRepo {
  dir: string;
  statusFile: string;
  aptOptions: string[];
  remove(): void;
}

export function makeTinyRepo(debs: readonly TinyDeb[]): TinyRepo {
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-tiny-deb-'));
  const repo = join(dir, 'repo');
  for (const sub of ['repo', 'lists/partial', 'cache/archives/partial', 'admin'])
    mkdirSync(join(dir, sub), { recursive: true });
  for (const deb of debs) buildDeb(dir, repo, deb);
  // -m lists every version; without it apt would only see one per package (test-hosts.md).
  const packages = execFileSync('dpkg-scanpackages', ['-m', '.', '/dev/null'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  writeFileSync(join(repo, 'Packages'), packages);
  const sources = join(dir, 'sources.list');
  writeFileSync(sources, `deb [trusted=yes] file:${repo} ./\n`);
  const statusFile = join(dir, 'admin', 'status');
  copyFileSync('/var/lib/dpkg/status', statusFile);
  const aptOptions = [
    ['Dir::State::status', statusFile],
    ['Dir::Etc::sourcelist', sources],
    ['Dir::Etc::sourceparts', '-'],
    ['Dir::State::Lists', join(dir, 'lists')],
    ['Dir::Cache', join(dir, 'cache')],
    ['Debug::NoLocking', '1'],
  ].flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  return { dir, statusFile, aptOptions, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function buildDeb(dir: string, repo: string, deb: TinyDeb): void {
  const root = join(dir, 'build', `${deb.name}-${deb.version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  const control = [
    `Package: ${deb.name}`,
    `Version: ${deb.version}`,
    'Architecture: all',
    'Maintainer: patchcast tests <tests@example.invalid>',
    'Description: throw-away package for patchcast tests',
    ...(deb.control ?? []),
  ];
  writeFileSync(join(root, 'DEBIAN', 'control'), `${control.join('\n')}\n`);
  const doc = join(root, 'usr', 'share', 'doc', deb.name);
  for (const [file, text] of Object.entries(deb.docs ?? {})) {
    mkdirSync(doc, { recursive: true });
    writeFileSync(join(doc, file), file.endsWith('.gz') ? gzipSync(text) : text);
  }
  execFileSync('dpkg-deb', ['-b', root, join(repo, `${deb.name}_${deb.version}_all.deb`)], {
    stdio: 'ignore',
  });
}

/** A dpkg status stanza, as dpkg writes it for an installed (or held) package. */
export function statusStanza(name: string, version: string, want: 'install' | 'hold' = 'install'): string {
  return [
    `Package: ${name}`,
    `Status: ${want} ok installed`,
    'Priority: optional',
    'Section: misc',
    'Maintainer: patchcast tests <tests@example.invalid>',
    'Architecture: all',
    `Version: ${version}`,
    'Description: throw-away package for patchcast tests',
    '',
  ].join('\n');
}
