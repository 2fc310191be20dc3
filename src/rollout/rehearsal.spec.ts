import { describe, expect, it } from 'vitest';
import { makeRehearsalArgv, REHEARSAL_NEXT } from './rehearsal.js';

describe('makeRehearsalArgv', () => {
  it('passes the commands as positional arguments of a constant script, never inside it', () => {
    const argv = makeRehearsalArgv([
      ['apt-get', 'install', '-y', 'pcdemo=1.0-2'],
      ['sh', '-c', 'echo $HOME; rm -rf /'],
    ]);
    expect(argv.slice(0, 6)).toEqual(['unshare', '-m', '--propagation', 'private', '--', '/bin/sh']);
    expect(argv.slice(8)).toEqual([
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
    expect(argv[7]).not.toContain('pcdemo');
    expect(makeRehearsalArgv([['true']])[7]).toBe(argv[7]);
  });

  it('refuses what it cannot encode unambiguously', () => {
    expect(() => makeRehearsalArgv([[]])).toThrow('empty command');
    expect(() => makeRehearsalArgv([['echo', REHEARSAL_NEXT]])).toThrow('separator');
    expect(() => makeRehearsalArgv([['true']], { scratch: 'relative' })).toThrow('absolute');
  });
});
