import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDebianChangelog, summarizeDebianChangelog, summarizeRpmChangelog } from './changelog.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
// Real changelogs from Debian 12 (see __fixtures__/README.md).
const cjson = fixture('debian-cjson.changelog');
const netTools = fixture('debian-net-tools.changelog');

describe('Debian changelog', () => {
  it('reads every entry of a real changelog with its header and trailer', () => {
    const entries = parseDebianChangelog(cjson);
    expect(entries.map((e) => e.version)).toEqual([
      '1.7.15-1+deb12u4',
      '1.7.15-1+deb12u3',
      '1.7.15-1+deb12u2',
      '1.7.15-1+deb12u1',
      '1.7.15-1',
      '1.7.14-1',
      '1.7.13-1',
      '1.7.10-2',
    ]);
    expect(entries[0]).toMatchObject({
      urgency: 'medium',
      distribution: 'bookworm-security',
      cves: ['CVE-2025-57052'],
      author: 'Moritz Mühlenhoff',
      date: '2025-09-11T22:15:27.000Z',
    });
  });

  it('keeps an old entry whose trailer is indented twice and has no date (make 3.74-12, Debian, 1996)', () => {
    const text = [
      'make (3.74-13) unstable; urgency=low',
      '',
      '  * New upstream version',
      '',
      ' -- Manoj Srivastava <srivasta@debian.org>  Thu, 7 Nov 1996 17:42:34 -0600',
      '',
      'make (3.74-12) unstable; urgency=low',
      '  * Added patch to job.c to allow make to exec scripts which do not',
      '    have the #! magic as the first line.  This fixed Bug#1149',
      '',
      '  -- Manoj Srivastava <srivasta@debian.org>',
      '',
    ].join('\n');
    const entries = parseDebianChangelog(text);
    expect(entries.map((e) => [e.version, e.date])).toEqual([
      ['3.74-13', '1996-11-07T23:42:34.000Z'],
      ['3.74-12', undefined],
    ]);
    expect(entries[1]?.author).toBe('Manoj Srivastava');
  });

  it('ends an entry without a trailer at the next header', () => {
    const text =
      'p (2-1) unstable; urgency=high\n  * CVE-2024-0001\np (1-1) unstable; urgency=low\n  * first\n';
    expect(parseDebianChangelog(text).map((e) => [e.version, e.urgency, e.cves])).toEqual([
      ['2-1', 'high', ['CVE-2024-0001']],
      ['1-1', 'low', []],
    ]);
  });

  it('summarises a security update between two stable revisions', () => {
    const summary = summarizeDebianChangelog(cjson, '1.7.15-1+deb12u2', '1.7.15-1+deb12u4');
    expect(summary.entries.map((e) => e.version)).toEqual(['1.7.15-1+deb12u4', '1.7.15-1+deb12u3']);
    expect(summary.cves).toEqual(['CVE-2025-57052', 'CVE-2023-26819', 'CVE-2023-53154']);
    expect(summary).toMatchObject({ maxUrgency: 'medium', upstreamChanged: false, backport: true });
  });

  it('counts a new upstream release as an upstream change, not a backport', () => {
    const summary = summarizeDebianChangelog(cjson, '1.7.13-1', '1.7.15-1');
    expect(summary.entries.map((e) => e.version)).toEqual(['1.7.15-1', '1.7.14-1']);
    expect(summary).toMatchObject({ cves: [], upstreamChanged: true, backport: false });
  });

  it('takes the highest urgency and leaves out entries above the target', () => {
    const summary = summarizeDebianChangelog(netTools, '2.10-0.1', '2.10-0.1+deb12u1');
    expect(summary.entries.map((e) => e.version)).toEqual(['2.10-0.1+deb12u1']);
    expect(summary).toMatchObject({ maxUrgency: 'high', cves: ['CVE-2025-46836'], backport: true });
  });

  it('lists every entry up to the target when nothing is installed', () => {
    expect(summarizeDebianChangelog(netTools, undefined, '2.10-0.1').entries).toHaveLength(2);
  });

  it('recognises Ubuntu security revisions and Debian backports', () => {
    const text =
      'openssl (3.0.2-0ubuntu1.15) jammy-security; urgency=medium\n\n  * SECURITY UPDATE\n\n -- A <a@b>  Tue, 02 Jan 2024 10:00:00 +0000\n';
    expect(summarizeDebianChangelog(text, '3.0.2-0ubuntu1.14', '3.0.2-0ubuntu1.15').backport).toBe(true);
    expect(summarizeDebianChangelog('', '1.0-1', '1.1-1~bpo12+1').backport).toBe(true);
  });
});

describe('rpm changelog', () => {
  const text = fixture('fedora-style.rpm-changelog');

  it('reads entries between installed and target, with or without the dash before the version', () => {
    const summary = summarizeRpmChangelog(text, '1:3.0.7-20', '1:3.0.7-24');
    expect(summary.entries.map((e) => e.version)).toEqual(['1:3.0.7-24', '1:3.0.7-23']);
    expect(summary.entries[1]).toMatchObject({ author: 'Clemens Lang', date: '2023-10-19T00:00:00.000Z' });
    expect(summary).toMatchObject({ cves: ['CVE-2023-5678'], upstreamChanged: false, backport: false });
    expect(summary.maxUrgency).toBeUndefined();
  });

  it('collects CVEs from continuation lines', () => {
    expect(summarizeRpmChangelog(text, '1:3.0.7-24', '1:3.0.7-25').cves).toEqual([
      'CVE-2023-3446',
      'CVE-2023-3817',
      'CVE-2023-6129',
    ]);
  });

  it('sees an upstream change and a RHEL z-stream release', () => {
    const summary = summarizeRpmChangelog(text, '1:3.0.1-43.el9_0', '1:3.0.7-25.el9_3');
    expect(summary).toMatchObject({ upstreamChanged: true, backport: true });
  });
});
