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
