import { describe, expect, it } from 'vitest';
import { makeRehearsalArgv, REHEARSAL_NEXT } from './rehearsal.js';

describe('makeRehearsalArgv', () => {
  it('passes the commands as positional arguments of a constant script, never inside it', () => {
    const argv = makeRehearsalArgv([
      ['apt-get', 'install', '-y', 'pcdemo=1.0-2'],
      ['sh', '-c', 'echo $HOME; rm -rf /'],
    ]);
    expect(argv.slice(0, 8)).toEqual([
      'unshare',
      '--mount',
      '--pid',
      '--fork',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
    ]);
    expect(argv.slice(10)).toEqual([
      'sh',
      '/run/patchcast-rehearsal',
      'apt-get',
      'install',
      '-y',
      'pcdemo=1.0-2',
      REHEARSAL_NEXT,
      'sh',
      '-c',
      'echo $HOME; rm -rf /',
    ]);
    expect(argv[9]).not.toContain('pcdemo');
    expect(makeRehearsalArgv([['true']])[9]).toBe(argv[9]);
  });

  it('refuses what it cannot encode unambiguously', () => {
    expect(() => makeRehearsalArgv([[]])).toThrow('empty command');
    expect(() => makeRehearsalArgv([['echo', REHEARSAL_NEXT]])).toThrow('separator');
    expect(() => makeRehearsalArgv([['true']], { scratch: 'relative' })).toThrow('absolute');
  });
});
