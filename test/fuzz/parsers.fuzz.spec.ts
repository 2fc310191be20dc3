/**
 * Property: every parser an upload reaches, fed a real valid file mutated by `mutate.ts`, either
 * returns data or throws a coded PatchcastError answered with a 4xx status naming the file. Anything
 * else (TypeError, RangeError from a stack overflow, a 5xx code) is a crash and fails the test with the
 * shrunk case. Seeded and small (FUZZ_RUNS per parser, default 250) so CI stays fast; `bench/fuzz`
 * runs the same cases by the million.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCase, fuzzCaseArb } from './mutate.js';
import { describeCrash, makeFuzzTargets, runTarget } from './targets.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
// Large seeds slow every case; the corpus spec and the bench cover size.
const targets = makeFuzzTargets(200_000);

describe('upload parsers under mutated input', () => {
  it('has seeds for every target', () => {
    for (const target of targets) expect(target.seeds.length, target.id).toBeGreaterThan(0);
    // Every inventory format, VEX, STIX and STIX in zip archives.
    expect(targets.length).toBeGreaterThanOrEqual(35);
  });

  it.each(targets.map((t) => [t.id, t]))(
    '%s: parses or rejects with a coded 4xx, never crashes',
    async (_, target) => {
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(fuzzCaseArb(), async (c) => {
          const seed = target.seeds[c.seed % target.seeds.length];
          const name = seed?.name ?? 'upload';
          const outcome = await runTarget(
            target,
            applyCase(
              target.seeds.map((s) => s.content),
              c,
            ),
            name,
          );
          if (outcome.kind === 'crash')
            throw new Error(`${target.id} crashed: ${describeCrash(outcome.error)}`);
          if (outcome.kind === 'rejected') {
            rejected++;
            // The message names the file the user gave.
            if (!outcome.message.includes(name))
              throw new Error(`error does not name ${name}: ${outcome.message}`);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      );
      // The mutations reach the parsers' error paths, not only inputs they shrug off.
      expect(rejected).toBeGreaterThan(RUNS / 20);
    },
  );
});
