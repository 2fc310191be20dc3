import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { gradleLockfileFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  gradleLockfileFormat,
  new URL('./__fixtures__/', import.meta.url),
  'app/gradle.lockfile',
);

describe('gradle-lockfile', () => {
  it('detects gradle.lockfile, buildscript-gradle.lockfile and legacy per-configuration lock files', () => {
    expect(gradleLockfileFormat.detect('gradle.lockfile', '')).toBe(true);
    expect(gradleLockfileFormat.detect('buildscript-gradle.lockfile', '')).toBe(true);
    const header = '# This is a Gradle generated file for dependency locking.\n';
    expect(gradleLockfileFormat.detect('compileClasspath.lockfile', header)).toBe(true);
    expect(gradleLockfileFormat.detect('compileClasspath.lockfile', 'a=b')).toBe(false);
  });

  it('reads group:artifact:version lines, skipping comments and the empty= line', () => {
    const { packages, warnings } = parse(fixture('gradle.lockfile'));
    expect(warnings).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.dev, p.location])).toEqual([
      ['cglib:cglib-nodep', '2.1.2', false, 'line 4'],
      ['junit:junit', '4.13.2', true, 'line 5'],
      ['org.springframework:spring-asm', '3.1.3.RELEASE', false, 'line 6'],
      ['org.springframework:spring-beans', '5.0.5.RELEASE', false, 'line 7'],
    ]);
    expect(packages[3]?.purl).toBe('pkg:maven/org.springframework/spring-beans@5.0.5.RELEASE');
  });

  it('reads CRLF line endings', () => {
    const { packages } = parse('# header\r\ncom.google.guava:guava:31.1-jre=runtimeClasspath\r\nempty=\r\n');
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual(['com.google.guava:guava@31.1-jre']);
  });

  it('names the line that is not a lock entry', () => {
    expect(() => parse('junit:junit:4.13.2=testCompileClasspath\nnot a lock line\n')).toThrow(
      /app\/gradle\.lockfile:line 2: not a group:artifact:version/,
    );
    expect(() => parse('junit:junit=x\n')).toThrow(/line 1/);
  });

  it('refuses a line whose coordinates are not Maven ids, such as an XML file named gradle.lockfile', () => {
    // Three colons and an `=` are all it took before (found by sending the known-bad corpus to the API).
    const xml =
      '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]><bom xmlns="http://x" version="1"/>';
    expect(() => parse(`${xml}\n`)).toThrow(/line 1: not a group:artifact:version/);
    expect(() => parse('org.example:my artifact:1.0=runtimeClasspath\n')).toThrow(/line 1/);
  });
});

describeInventoryFormat(gradleLockfileFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'gradle.lockfile' }],
  truncation: 'undetectable',
  hostile: [{ name: 'a 2 MB package name', content: `${'x'.repeat(2_000_000)}:a:1.0=runtimeClasspath\n` }],
});
