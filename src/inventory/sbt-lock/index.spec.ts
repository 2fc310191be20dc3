import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { sbtLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  sbtLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'svc/build.sbt.lock',
);

describe('sbt-lock', () => {
  it('detects build.sbt.lock and other *.sbt.lock files', () => {
    expect(sbtLockFormat.detect('build.sbt.lock', '{')).toBe(true);
    expect(sbtLockFormat.detect('project.sbt.lock', '{')).toBe(true);
    expect(sbtLockFormat.detect('build.sbt', 'name := "x"')).toBe(false);
  });

  it('reads modules as Maven org:name, test-only modules as dev', () => {
    const { packages, warnings } = parse(fixture('build.sbt.lock'));
    expect(warnings).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.dev])).toEqual([
      ['org.apache.commons:commons-lang3', '3.9', false],
      ['org.scala-lang:scala-library', '2.12.10', false],
      ['org.typelevel:cats-core_2.12', '2.9.0', false],
      // Deliberate difference: Trivy drops test-only modules; they are kept here, marked dev.
      ['org.scalatest:scalatest-core_2.13', '3.2.15', true],
    ]);
    expect(packages[0]).toMatchObject({
      ecosystem: 'Maven',
      purl: 'pkg:maven/org.apache.commons/commons-lang3@3.9',
      location: '/dependencies/0',
    });
  });

  it('names a module without a version', () => {
    const text = JSON.stringify({ lockVersion: 1, dependencies: [{ org: 'a', name: 'b' }] });
    expect(() => parse(text)).toThrow(/build\.sbt\.lock:\/dependencies\/0\/version/);
  });
});

describeInventoryFormat(sbtLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'build.sbt.lock' }],
  truncation: 'detected',
  hostile: [
    {
      name: 'its own syntax nested 10,000 deep',
      content: `{"lockVersion": 1, "dependencies": ${'['.repeat(10_000)}`,
    },
    {
      name: 'a 2 MB package name',
      content: JSON.stringify({
        lockVersion: 1,
        dependencies: [{ org: 'x'.repeat(2_000_000), name: 'a', version: '1' }],
      }),
    },
  ],
});
