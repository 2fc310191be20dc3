import { describe, expect, it } from 'vitest';
import type { Simulation } from './contract.js';
import { evaluatePreflight } from './preflight.js';

const NONE = { removals: false, downgrades: false, held: false };
const ALL = { removals: true, downgrades: true, held: true };
const OPENSSL = [{ name: 'openssl', version: '3.0.15-1~deb12u1' }];

function sim(partial: Partial<Simulation>): Simulation {
  return { ok: true, changes: [], held: [], errors: [], ...partial };
}

describe('evaluatePreflight', () => {
  it('passes an exact upgrade of the target', () => {
    const s = sim({
      changes: [{ name: 'openssl', action: 'upgrade', from: '3.0.11-1~deb12u2', to: '3.0.15-1~deb12u1' }],
    });
    expect(evaluatePreflight(s, OPENSSL, NONE)).toEqual({ ok: true, blockers: [], simulation: s });
  });

  it('blocks removals, downgrades and held packages, one line each, unless allowed', () => {
    const s = sim({
      changes: [
        { name: 'openssl', action: 'upgrade', from: '3.0.11-1~deb12u2', to: '3.0.15-1~deb12u1' },
        { name: 'libfoo1', action: 'remove', from: '1.2-3' },
        { name: 'libbar2', action: 'downgrade', from: '2.0-1', to: '1.9-1' },
      ],
      held: ['linux-image-amd64'],
    });
    expect(evaluatePreflight(s, OPENSSL, NONE).blockers).toEqual([
      'removes libfoo1 1.2-3',
      'downgrades libbar2 2.0-1 → 1.9-1',
      'holds linux-image-amd64',
    ]);
    expect(evaluatePreflight(s, OPENSSL, { ...NONE, removals: true }).blockers).toHaveLength(2);
    expect(evaluatePreflight(s, OPENSSL, ALL).ok).toBe(true);
  });

  it('turns "not found" errors of apt and dnf into one line per target, without a second line', () => {
    const s = sim({ ok: false, errors: ["Version '3.0.15-1~deb12u1' for 'openssl' was not found"] });
    expect(evaluatePreflight(s, OPENSSL, ALL).blockers).toEqual(['openssl=3.0.15-1~deb12u1 not found']);
    const d = sim({ ok: false, errors: ['Unable to find a match: openssl-1:3.0.7-25.el9_3'] });
    expect(evaluatePreflight(d, [{ name: 'openssl', version: '1:3.0.7-25.el9_3' }], ALL).blockers).toEqual([
      'openssl-1:3.0.7-25.el9_3 not found',
    ]);
  });

  it('passes other resolver errors through', () => {
    const s = sim({ ok: false, errors: ['unmet dependencies: pc : Depends: x but it is not installable'] });
    expect(evaluatePreflight(s, [], ALL).blockers).toEqual([
      'resolver: unmet dependencies: pc : Depends: x but it is not installable',
    ]);
  });

  it('blocks a failed simulation that names no error', () => {
    expect(evaluatePreflight(sim({ ok: false }), [], ALL).blockers).toEqual([
      'the simulation failed without naming an error',
    ]);
  });

  it('blocks a target the simulation does not bring to the exact version', () => {
    const other = sim({
      changes: [{ name: 'openssl', action: 'upgrade', from: '1', to: '3.0.16-1~deb12u1' }],
    });
    expect(evaluatePreflight(other, OPENSSL, ALL).blockers).toEqual([
      'openssl=3.0.15-1~deb12u1 not reached: the simulation installs 3.0.16-1~deb12u1',
    ]);
    const removed = sim({ changes: [{ name: 'openssl', action: 'remove', from: '1' }] });
    expect(evaluatePreflight(removed, OPENSSL, ALL).blockers).toEqual([
      'openssl=3.0.15-1~deb12u1 not reached: the simulation removes it',
    ]);
  });

  it('accepts a target already installed, and equal versions written with or without a zero epoch', () => {
    const installed = new Map([['openssl', '3.0.15-1~deb12u1']]);
    expect(evaluatePreflight(sim({}), OPENSSL, NONE, installed).ok).toBe(true);
    expect(evaluatePreflight(sim({}), OPENSSL, NONE).ok).toBe(false);
    const rpm = sim({ changes: [{ name: 'bash', action: 'upgrade', to: '5.1.8-9.el9' }] });
    expect(evaluatePreflight(rpm, [{ name: 'bash', version: '0:5.1.8-9.el9' }], NONE).ok).toBe(true);
  });

  it('matches an architecture-qualified change to its target', () => {
    const s = sim({
      changes: [{ name: 'openssl:amd64', action: 'upgrade', from: '1', to: '3.0.15-1~deb12u1' }],
    });
    expect(evaluatePreflight(s, OPENSSL, NONE).ok).toBe(true);
  });
});
