import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeTopList } from './top-list.js';

/** Items with few distinct keys, so that ties are common; `seq` tells them apart. */
const items = fc
  .array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 })
  .map((keys) => keys.map((key, seq) => ({ key, seq })));
const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

describe('makeTopList', () => {
  it('keeps what a stable sort of every item and a slice keep, ties in the order added', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 70 }), (all, keep) => {
        const list = makeTopList(byKey, keep);
        for (const item of all) list.add(item);
        expect(list.take()).toEqual([...all].sort(byKey).slice(0, keep));
      }),
    );
  });

  it('keeps every item, sorted, without a bound', () => {
    fc.assert(
      fc.property(items, (all) => {
        const list = makeTopList(byKey);
        for (const item of all) list.add(item);
        expect(list.take()).toEqual([...all].sort(byKey));
      }),
    );
  });
});
