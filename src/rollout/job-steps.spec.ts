import { describe, expect, it } from 'vitest';
import { fakeManager } from '../../test/support/fake-host.js';
import { describeState, getRemoveArgv, parseDpkgUnsettled } from './job-steps.js';

describe('job steps', () => {
  it("removes with the driver's own argv, else with the manager's plain command", () => {
    expect(getRemoveArgv(fakeManager, ['libnew1'])).toEqual(['pm', 'remove', 'libnew1']);
    const { remove: _, ...withoutRemove } = fakeManager;
    expect(getRemoveArgv(withoutRemove, ['libnew1'])).toEqual(['apt-get', 'remove', '-y', '--', 'libnew1']);
    expect(getRemoveArgv({ ...withoutRemove, name: 'dnf' }, ['x'])).toEqual([
      'dnf',
      'remove',
      '-y',
      '--',
      'x',
    ]);
    expect(() => getRemoveArgv(withoutRemove, ['--purge-everything'])).toThrow('not a valid package name');
  });

  it('says where each touched package stands against its target and its recorded version', () => {
    const installed = new Map([
      ['pcdemo', '1.0-3'],
      ['pcdemo-lib', '1.0-2'],
    ]);
    const text = describeState(
      installed,
      ['pcdemo', 'pcdemo-lib'],
      [{ name: 'pcdemo', version: '1.0-2' }],
      [{ name: 'pcdemo', version: '1.0-1' }],
    );
    expect(text).toBe(
      'pcdemo is 1.0-3 (target 1.0-2, previous 1.0-1), pcdemo-lib is 1.0-2 (previous absent)',
    );
  });

  it('finds the packages dpkg left half-done in the query output of the apt driver', () => {
    // dpkg-query -W -f='${Package}\t${Version}\t${db:Status-Status}\n' after a postinst failed.
    const stdout =
      'pcdemo\t1.0-3\thalf-configured\npcdemo-lib\t1.0-1\tinstalled\nold\t0.9\tconfig-files\nnew\t2.0\tunpacked\n';
    expect(parseDpkgUnsettled(stdout)).toEqual(['pcdemo', 'new']);
  });
});
