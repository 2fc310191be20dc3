import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { makeGate, takeAgentSlot } from './agent-gate.js';

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

  it("gives a long poll's slot to the next request while it waits, and takes one again before answering", async () => {
    const gate = makeGate(1);
    const answer = () => Object.assign(new EventEmitter(), { destroyed: false });
    const [pollAnswer, otherAnswer] = [answer(), answer()];
    const poll = await takeAgentSlot(gate, pollAnswer);
    let other = false;
    const otherSlot = takeAgentSlot(gate, otherAnswer).then(() => {
      other = true;
    });
    let found: (value: string) => void = () => undefined;
    const waited = poll.whileWaiting(() => new Promise<string>((resolve) => (found = resolve)));
    await otherSlot;
    expect([other, gate.running, gate.waiting]).toEqual([true, 1, 0]);
    // The job is found: the poll queues behind the other request, and answers once that one has.
    found('job');
    await Promise.resolve();
    expect([gate.running, gate.waiting]).toEqual([1, 1]);
    otherAnswer.emit('finish');
    expect(await waited).toBe('job');
    expect([gate.running, gate.waiting]).toEqual([1, 0]);
    pollAnswer.emit('finish');
    pollAnswer.emit('close');
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('takes no slot again for a long poll whose agent went away while it waited', async () => {
    const gate = makeGate(1);
    const pollAnswer = Object.assign(new EventEmitter(), { destroyed: false });
    const poll = await takeAgentSlot(gate, pollAnswer);
    const waited = poll.whileWaiting(async () => {
      pollAnswer.emit('close');
      return false;
    });
    expect(await waited).toBe(false);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
    expect(await takeAgentSlot(gate, Object.assign(new EventEmitter(), { destroyed: true }))).toBeDefined();
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });
});
