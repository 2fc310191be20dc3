import { describe, expect, it } from 'vitest';
import { makeGate } from './agent-gate.js';

describe('agent gate', () => {
  it('lets at most `slots` requests run, hands slots on in arrival order, and counts a double release once', async () => {
    const gate = makeGate(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const waits = [0, 1, 2, 3, 4].map((i) =>
      gate.acquire().then((release) => {
        order.push(i);
        releases.push(release);
      }),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect([gate.running, gate.waiting]).toEqual([2, 3]);
    releases[0]?.();
    releases[0]?.(); // a request's 'finish' and 'close' both release: one slot only
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    expect([gate.running, gate.waiting]).toEqual([2, 2]);
    for (let i = 1; i < 5; i++) {
      releases[i]?.();
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(waits);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    releases.at(-1)?.();
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });
});
