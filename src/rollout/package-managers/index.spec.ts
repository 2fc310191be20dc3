import { describe, expect, it } from 'vitest';
import type { PackageManagerName } from '../contract.js';
import { detectPackageManager, getPackageManager } from './index.js';

describe('getPackageManager', () => {
  it('returns the driver whose name is asked for', () => {
    for (const name of ['apt', 'dnf', 'apk'] as const) expect(getPackageManager(name).name).toBe(name);
  });

  it('refuses an unknown name', () => {
    expect(() => getPackageManager('yum' as PackageManagerName)).toThrow(/unknown package manager "yum"/);
  });
});

// The contract every driver keeps, run against each one.
describe.each(['apt', 'dnf', 'apk'] as const)('%s driver contract', (name) => {
  const manager = getPackageManager(name);
  const target = { name: 'openssl', version: '3.0.15-1' };

  it('refuses a target that would read as an option or carry shell syntax, in every builder', () => {
    for (const bad of [
      { name: '--force', version: '1' },
      { name: 'openssl', version: '1 $(id)' },
    ]) {
      expect(() => manager.simulate([bad])).toThrow(/not a valid package/);
      expect(() => manager.install([bad])).toThrow(/not a valid package/);
    }
    expect(() => manager.queryInstalled(['-x'])).toThrow(/not a valid package name/);
  });

  it('names the exact version in the simulation and the install, and in the same way', () => {
    const simulated = manager.simulate([target]).at(-1);
    expect(simulated).toMatch(/^openssl[=-]3\.0\.15-1$/);
    expect(manager.install([target]).at(-1)).toBe(simulated);
  });

  it('reads empty output as nothing installed and nothing changed', () => {
    expect(manager.parseInstalled('').size).toBe(0);
    expect(manager.parseSimulation({ code: 0, stdout: '', stderr: '' })).toEqual({
      ok: true,
      changes: [],
      held: [],
      errors: [],
    });
  });
});

describe('detectPackageManager', () => {
  it('reads ID, then ID_LIKE in order', () => {
    expect(detectPackageManager({ ID: 'debian' })).toBe('apt');
    expect(detectPackageManager({ ID: 'linuxmint', ID_LIKE: 'ubuntu debian' })).toBe('apt');
    expect(detectPackageManager({ ID: 'rocky', ID_LIKE: 'rhel centos fedora' })).toBe('dnf');
    expect(detectPackageManager({ ID: 'amzn', ID_LIKE: 'centos rhel fedora' })).toBe('dnf');
    expect(detectPackageManager({ ID: 'alpine' })).toBe('apk');
    expect(detectPackageManager({ ID: 'arch' })).toBeUndefined();
    expect(detectPackageManager({})).toBeUndefined();
  });
});
