/**
 * Known-bad inputs (`corpus/`, and the large ones generated here) through every upload parser: each
 * is refused with a coded 4xx error naming the file, or read harmlessly. No crash, no external entity
 * read, no alias or entity expanded into memory, no `__proto__` written through, and nothing written
 * to the working directory or the temporary directory (both fresh and empty for this file).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKnownBadCases } from './known-bad.js';
import { type FuzzTarget, makeFuzzTargets, type Outcome, runTarget } from './targets.js';
import { makeZip } from './zip.js';

const CORPUS = new URL('./corpus/', import.meta.url);
const targets = makeFuzzTargets(200_000);
const byId = (id: string) => targets.find((t) => t.id === id) as FuzzTarget;

const sandbox = mkdtempSync(join(tmpdir(), 'patchcast-corpus-'));
const work = join(sandbox, 'cwd');
const temp = join(sandbox, 'tmp');
const secret = join(sandbox, 'secret.txt');
const SECRET_MARKER = 'patchcast-xxe-marker-7f3a';
let previous: { cwd: string; tmpdir: string | undefined };

beforeAll(() => {
  mkdirSync(work);
  mkdirSync(temp);
  writeFileSync(secret, `${SECRET_MARKER}\n`);
  previous = { cwd: process.cwd(), tmpdir: process.env.TMPDIR };
  // os.tmpdir() reads TMPDIR on every call: whatever a parser writes to "the" temp dir lands here.
  process.env.TMPDIR = temp;
  process.chdir(work);
});

afterAll(() => {
  process.chdir(previous.cwd);
  if (previous.tmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous.tmpdir;
  rmSync(sandbox, { recursive: true, force: true });
});

/** Asserts a 4xx naming the file or a harmless parse; returns the outcome for further checks. */
async function expectHandled(target: FuzzTarget, content: Buffer, name: string): Promise<Outcome> {
  const outcome = await runTarget(target, content, name);
  if (outcome.kind === 'crash') throw new Error(`${target.id} crashed on ${name}`, { cause: outcome.error });
  if (outcome.kind === 'rejected') {
    expect(outcome.status, outcome.message).toBeGreaterThanOrEqual(400);
    expect(outcome.status, outcome.message).toBeLessThan(500);
    expect(outcome.message, outcome.message).toContain(name);
  }
  return outcome;
}

const corpus = (name: string) => readFileSync(new URL(name, CORPUS));
const SMALL_CASES = makeKnownBadCases(secret);

describe('known-bad inputs through every upload parser', () => {
  it.each(SMALL_CASES.map((c) => [c.name, c]))('%s: a coded 4xx or a harmless parse', async (_, c) => {
    const content = c.content();
    for (const target of targets) {
      const outcome = await expectHandled(target, content, c.name);
      if (outcome.kind !== 'parsed') continue;
      const text = JSON.stringify(outcome.value) ?? '';
      // No external entity read, no entity or alias expanded into memory.
      expect(text, target.id).not.toContain(SECRET_MARKER);
      expect(text.length, target.id).toBeLessThan(1_000_000);
    }
  });

  it('each real seed with invalid UTF-8 spliced in: a coded 4xx or a harmless parse', async () => {
    for (const target of targets) {
      for (const seed of target.seeds) {
        const middle = seed.content.length >> 1;
        const bad = Buffer.concat([
          seed.content.subarray(0, middle),
          Buffer.from([0xc3, 0x28, 0xff]),
          seed.content.subarray(middle),
        ]);
        await expectHandled(target, bad, seed.name);
      }
    }
  });

  it('__proto__ and constructor keys pollute nothing', async () => {
    for (const target of targets)
      await expectHandled(target, corpus('prototype-pollution.json'), 'prototype-pollution.json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a 50 MB single line: refused by the line, JSON, XML and tag-value readers without a crash', async () => {
    const line = Buffer.alloc(50 * 1024 * 1024, 'a');
    const readers = ['requirements-txt', 'dpkg-status', 'rpm-qa', 'apk-installed', 'go-mod', 'gemfile-lock'];
    const more = [
      'gradle-lockfile',
      'os-release',
      'yarn-lock',
      'mix-lock',
      'spdx',
      'package-lock',
      'maven-pom',
    ];
    for (const id of [...readers, ...more].map((id) => `inventory/${id}`).concat('vex', 'stix')) {
      const outcome = await expectHandled(byId(id), line, 'one-line.txt');
      expect(outcome.kind, id).toBe('rejected');
    }
  });
});

/**
 * Inputs on which `bench/fuzz` saw a parser take over a second of CPU time, or of wall time on a busy
 * machine: kept so that each stays a harmless parse or a 4xx. (Their time is the bench's to measure.)
 */
describe('inputs bench/fuzz found slow', () => {
  const seedOf = (id: string, name: string) =>
    (byId(id).seeds.find((s) => s.name === name) ?? byId(id).seeds[0])?.content.toString('utf8') ?? '';

  it('asset registry: a CSV whose first line is 2.5 MB (csv-parse looked for the line ending at every character)', async () => {
    const header = `hostname,kind,internet_exp${'%41'.repeat(850_000)},environment\n`;
    const outcome = await expectHandled(
      byId('inventory/asset-registry'),
      Buffer.from(`${header}web-1,host,yes,prod\r\nweb-2,host,no,prod\n`),
      'assets.csv',
    );
    expect(outcome.kind).toBe('parsed');
  });

  it('pubspec.lock: 16,000 block-sequence lines in the packages map', async () => {
    const seed = seedOf('inventory/pubspec-lock', 'pubspec.lock');
    const at = seed.indexOf('\n', seed.indexOf('packages:')) + 1;
    const content = seed.slice(0, at) + '  - a:\n'.repeat(16_000) + seed.slice(at);
    const outcome = await expectHandled(byId('inventory/pubspec-lock'), Buffer.from(content), 'pubspec.lock');
    expect(outcome.kind).toBe('rejected');
  });

  it('pnpm-lock.yaml: 20,000 `- ` after a key on one line (each error copied the 40 KB line)', async () => {
    const content = `lockfileVersion: '9.0'\nimporters: ${'- '.repeat(20_000)}\n`;
    const outcome = await expectHandled(byId('inventory/pnpm-lock'), Buffer.from(content), 'pnpm-lock.yaml');
    expect(outcome.kind === 'rejected' && outcome.message).toMatch(/line 2, column \d+: invalid YAML/);
  });

  it('STIX: an object holding a 200 KB string and an array nested 16,384 deep', async () => {
    const bundle = JSON.parse(seedOf('stix', 'exploitation.stix.json')) as { objects: object[] };
    bundle.objects.splice(1, 0, { type: 'x-note', id: 'x-note--0', text: 'é'.repeat(100_000), deep: '@' });
    const deep = '['.repeat(16_384) + ']'.repeat(16_384);
    const content = JSON.stringify(bundle).replace('"@"', deep);
    await expectHandled(byId('stix'), Buffer.from(content), 'exploitation.stix.json');
  });
});

describe('hostile zip archives of STIX bundles', () => {
  const stixZip = byId('stix-zip');
  const bundle = byId('stix').seeds[0]?.content as Buffer;

  it('an entry stating 4 GiB is refused before it is inflated', async () => {
    const raw = deflateRawSync(Buffer.alloc(1024 * 1024));
    const zip = makeZip([{ name: 'bomb.json', data: Buffer.alloc(0), raw, statedSize: 0xffff_fff0 }]);
    const outcome = await expectHandled(stixZip, zip, 'bomb.zip');
    expect(outcome.kind === 'rejected' && outcome.message).toMatch(/over the \d+-byte limit/);
  });

  it('an entry stating 1 KiB that inflates to 64 MiB stops at the stated size', async () => {
    const raw = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
    const zip = makeZip([{ name: 'bomb.json', data: Buffer.alloc(1024), raw, statedSize: 1024 }]);
    const outcome = await expectHandled(stixZip, zip, 'liar.zip');
    expect(outcome.kind === 'rejected' && outcome.message).toMatch(/too many bytes/);
  });

  it('zip-slip entry names write nothing anywhere', async () => {
    const escaped = join(sandbox, 'escaped.json');
    const names = [
      `../../../../../../..${escaped}`,
      escaped,
      'C:\\Windows\\escaped.json',
      '..\\..\\escaped.json',
      'ok/../../escaped.json',
    ];
    for (const name of names) {
      await expectHandled(stixZip, makeZip([{ name, data: bundle }]), 'slip.zip');
      expect(existsSync(escaped), name).toBe(false);
    }
  });

  it('a zip nested in a zip, a truncated archive and a zip without bundles end in a 4xx or a harmless read', async () => {
    const inner = makeZip([{ name: 'inner.json', data: bundle }]);
    await expectHandled(stixZip, makeZip([{ name: 'inner.zip', data: inner }]), 'nested.zip');
    const whole = makeZip([{ name: 'a.json', data: bundle }]);
    for (const cut of [10, whole.length >> 1, whole.length - 10]) {
      const outcome = await expectHandled(stixZip, whole.subarray(0, cut), 'cut.zip');
      expect(outcome.kind, `cut at ${cut}`).toBe('rejected');
    }
  });

  it('left nothing in the working directory or the temporary directory', () => {
    expect(readdirSync(work)).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
  });
});
