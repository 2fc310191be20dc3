import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { goModFormat, mergeGoSum, pickGoModuleFiles } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  goModFormat,
  new URL('./__fixtures__/', import.meta.url),
  'go.mod',
);

describe('go-mod', () => {
  it('claims go.mod and go.sum', () => {
    expect(goModFormat.detect('go.mod', 'module x')).toBe(true);
    expect(goModFormat.detect('go.sum', '')).toBe(true);
    expect(goModFormat.detect('go.work', '')).toBe(false);
  });

  it('reads requires with // indirect, quoted paths, and applies module and directory replacements', () => {
    const result = parse(fixture('replace.go.mod'));
    expect(result.packages.map((p) => `${p.name}@${p.version} direct=${p.direct} ${p.location}`)).toEqual([
      'golang.org/x/text@0.14.0 direct=true line 11',
      'github.com/google/uuid@1.6.0 direct=true line 14',
      'github.com/pkg/errors@0.9.1 direct=false line 15',
      'gopkg.in/yaml.v3@3.0.1 direct=false line 17',
      'github.com/new/fork@1.2.3 direct=true line 18',
    ]);
    expect(result.packages[1]?.purl).toBe('pkg:golang/github.com/google/uuid@v1.6.0');
    expect(result.warnings).toEqual([
      'line 16: example.com/internal/lib is replaced by the local directory ../lib, skipped',
    ]);
  });

  it('reads go.sum module lines (not /go.mod-only lines), with a warning', () => {
    const result = parse(fixture('go.sum'), 'svc/go.sum');
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'github.com/docker/distribution@2.7.1+incompatible',
      'github.com/open-policy-agent/opa@0.35.0',
      'github.com/pkg/errors@0.9.1',
      'golang.org/x/text@0.3.6',
    ]);
    expect(result.warnings[0]).toMatch(/^go\.sum read without go\.mod/);
  });

  it('says when a go.mod (go < 1.17) needs its go.sum, and merges them as Trivy does', () => {
    const goMod = parse('module x\ngo 1.15\nrequire github.com/pkg/errors v0.9.1\n');
    expect(goMod.warnings).toEqual([
      'go 1.15 < 1.17: indirect dependencies are incomplete; merge go.sum (mergeGoSum)',
    ]);
    const merged = mergeGoSum(goMod, parse(fixture('go.sum'), 'go.sum'));
    expect(merged.packages.map((p) => `${p.name} direct=${p.direct}`)).toEqual([
      'github.com/pkg/errors direct=true',
      'github.com/docker/distribution direct=false',
      'github.com/open-policy-agent/opa direct=false',
      'golang.org/x/text direct=false',
    ]);
    expect(merged.warnings).toEqual([]);
  });

  it('reads go.sum only where no go.mod sits beside it', () => {
    expect(pickGoModuleFiles(['a/go.mod', 'a/go.sum', 'b/go.sum', 'c/x.txt'])).toEqual([
      'a/go.mod',
      'b/go.sum',
    ]);
  });

  it('names the file and line of malformed input', () => {
    expect(() => parse('module x\nrequire (\n\ta v1.0.0\n', 'm/go.mod')).toThrow(
      /^m\/go\.mod:line 2: require block is never closed/,
    );
    expect(() => parse('module x\nrequire a\n', 'm/go.mod')).toThrow(/^m\/go\.mod:line 2: require needs/);
    expect(() => parse('modul x\n', 'm/go.mod')).toThrow(/^m\/go\.mod:line 1: unknown directive "modul"/);
    expect(() => parse('require a v1.0.0\n', 'm/go.mod')).toThrow(/no module directive/);
  });

  const trivy = loadTrivyCase('gomod');
  itWithShared(
    trivy,
    getTrivyCasePath('gomod'),
    "contains every module Trivy found vulnerable in its gomod case (and submodules')",
    () => {
      for (const target of ['go.mod', 'submod/go.mod', 'submod2/go.mod']) {
        const goMod = parse(readFileSync(trivy!.inputPath(target)), target);
        const sumPath = target.replace('go.mod', 'go.sum');
        // submod* say `go 1.15`: Trivy completes them from go.sum, as mergeGoSum does.
        const incomplete = goMod.warnings.some((w) => w.includes('mergeGoSum'));
        const result = incomplete
          ? mergeGoSum(goMod, parse(readFileSync(trivy!.inputPath(sumPath)), sumPath))
          : goMod;
        // Trivy keeps Go's `v`; OSV's Go versions (and ours) drop it.
        const ours = new Set(result.packages.map((p) => `${p.name}@v${p.version}`));
        for (const id of trivy!.vulnerable(target)) expect(ours, `${target}: ${id}`).toContain(id);
      }
      expect(parse(readFileSync(trivy!.inputPath('go.mod'))).packages).toHaveLength(18);
    },
  );
});

describeInventoryFormat(goModFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'trivy.go.mod', fileName: 'go.mod' },
    { file: 'replace.go.mod', fileName: 'go.mod' },
    { file: 'go.sum' },
  ],
  hostile: [{ name: 'a huge module path', content: `module x\nrequire ${'a'.repeat(5000)} v1.0.0\n` }],
});
