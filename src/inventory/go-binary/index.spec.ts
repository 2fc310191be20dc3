import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeInventoryFormat } from '../contract.js';
import { InventoryParseError } from '../errors.js';
import { findBuildInfo, parseModinfo } from './build-info.js';
import { getStdlibVersion, goBinaryFormat } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const parse = (content: Buffer, path = 'bin/app') => goBinaryFormat.parse({ path, content });
const ids = (content: Buffer) => parse(content).packages.map((p) => `${p.name}@${p.version}`);

describe('go-binary', () => {
  it('claims ELF files and .exe PE files by their first bytes', () => {
    expect(goBinaryFormat.detect('kubectl', '\u007fELF\u0002\u0001\u0001')).toBe(true);
    expect(goBinaryFormat.detect('tool.exe', 'MZ\u0090\u0000')).toBe(true);
    expect(goBinaryFormat.detect('README', 'MZ is a name')).toBe(false);
  });

  it('turns Go toolchain names into OSV stdlib versions', () => {
    expect(getStdlibVersion('go1.24.3')).toBe('1.24.3');
    expect(getStdlibVersion('go1.20')).toBe('1.20.0');
    expect(getStdlibVersion('go1.21rc2')).toBe('1.21.0-rc.2');
    expect(getStdlibVersion('go1.22.1 X:boringcrypto')).toBe('1.22.1');
    expect(getStdlibVersion('devel go1.23-abcdef')).toBeUndefined();
  });

  it('applies => replacements to the module line before them', () => {
    const modules = parseModinfo(
      'path\tx\nmod\tx\t(devel)\t\ndep\ta\tv1.0.0\th1:\n=>\tb\tv2.0.0\th1:\ndep\tc\tv1.0.0\t\n',
    );
    expect(modules.map((m) => [m.path, m.replacedBy?.path ?? null])).toEqual([
      ['x', null],
      ['a', 'b'],
      ['c', null],
    ]);
  });

  it('reads a Go 1.24 binary: modules without the v, stdlib, local (devel) modules skipped', () => {
    const result = parse(fixture('cbtemulator.trimmed'));
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'github.com/google/btree@1.1.3',
      'golang.org/x/net@0.40.0',
      'golang.org/x/sys@0.33.0',
      'golang.org/x/text@0.25.0',
      'google.golang.org/genproto@0.0.0-20250505200425-f936aa4a68b2',
      'google.golang.org/genproto/googleapis/api@0.0.0-20250505200425-f936aa4a68b2',
      'google.golang.org/genproto/googleapis/rpc@0.0.0-20250505200425-f936aa4a68b2',
      'google.golang.org/grpc@1.72.0',
      'google.golang.org/protobuf@1.36.6',
      'rsc.io/binaryregexp@0.2.0',
      'stdlib@1.24.3',
    ]);
    expect(result.packages[7]).toMatchObject({
      ecosystem: 'Go',
      purl: 'pkg:golang/google.golang.org/grpc@v1.72.0',
    });
    expect(result.warnings).toHaveLength(3);
    expect(result.warnings[0]).toMatch(
      /cloud\.google\.com\/go\/bigtable has no released version \(devel\), skipped$/,
    );
  });

  it('skips modules replaced by a local directory and vendor toolchains, with warnings', () => {
    const result = parse(fixture('go-app-stager.trimmed'));
    expect(result.packages).toEqual([]);
    expect(result.warnings).toEqual([
      'build info line 3: gopkg.in/yaml.v2 is replaced by the local directory ./gopkg.in/yaml, skipped',
      'Go toolchain "go1.22-20231128-RC02 cl/586117301 +6111acc8e6 X:fieldtrack,boringcrypto" is not a Go release: stdlib not reported',
    ]);
  });

  it('falls back to the module info sentinels when the header is stripped (esbuild)', () => {
    const result = parse(fixture('esbuild-no-header.trimmed'));
    expect(ids(fixture('esbuild-no-header.trimmed'))).toEqual([
      'golang.org/x/sys@0.0.0-20220715151400-c0bba94af5f8',
    ]);
    expect(result.warnings.at(-1)).toMatch(/Go version unknown, stdlib not reported$/);
    expect(findBuildInfo('x', fixture('esbuild-no-header.trimmed'))?.goVersion).toBeUndefined();
  });

  it('refuses a binary cut inside the build information, naming the byte', () => {
    const whole = fixture('cbtemulator.trimmed');
    expect(() => parse(whole.subarray(0, 4096 + 40), 'bin/cut')).toThrow(
      /^bin\/cut:byte \d+: truncated or corrupt Go build information/,
    );
    expect(() => parse(Buffer.from('\u007fELF not go'), 'bin/c')).toThrow(InventoryParseError);
  });
});

describeInventoryFormat(goBinaryFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'cbtemulator.trimmed', fileName: 'cbtemulator' },
    { file: 'esbuild-no-header.trimmed', fileName: 'esbuild' },
  ],
});
