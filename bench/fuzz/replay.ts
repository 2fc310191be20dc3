/**
 * Runs one fuzz input through its parser again and prints the outcome, the CPU and wall time, for
 * profiling a slow input (`node --cpu-prof --import tsx bench/fuzz/replay.ts …`) or checking a fix:
 *
 *   npx tsx bench/fuzz/replay.ts fuzz-crashes/slowest-stix.bin [--times 3]
 *     a `.bin` written by `bench/fuzz`, beside the `.txt` naming its target and file name;
 *   npx tsx bench/fuzz/replay.ts --target inventory/yarn-lock --index 27312 [--seed 20261207] [--save F]
 *     input number N of a run (1-based) regenerated from the seed, for a worker that died (out of
 *     memory, killed by the watchdog) before it could save it: the runner prints "after input N", the
 *     fatal one is among the next 200 (--index FROM-TO runs them in turn, printing each number first).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { applyCase, BENCH_LIMITS, fuzzCaseArb } from '../../test/fuzz/mutate.js';
import { type FuzzTarget, makeFuzzTargets, runTarget } from '../../test/fuzz/targets.js';

const args = process.argv.slice(2);
const option = (flag: string) => {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
};

function findTarget(id: string | undefined): FuzzTarget {
  const target = makeFuzzTargets().find((t) => t.id === id);
  if (!target) throw new Error(`no fuzz target ${id} (ids: inventory/<format>, vex, stix, stix-zip)`);
  return target;
}

async function runOnce(target: FuzzTarget, content: Buffer, name: string): Promise<void> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const outcome = await runTarget(target, content, name);
  const cpu = process.cpuUsage(cpuStarted);
  const wall = (performance.now() - started).toFixed(1);
  const detail = outcome.kind === 'rejected' ? ` ${outcome.status} ${outcome.message.slice(0, 200)}` : '';
  const cpuMs = ((cpu.user + cpu.system) / 1000).toFixed(1);
  console.log(
    `${target.id} ${name} (${content.length} bytes): ${outcome.kind} in ${cpuMs} ms CPU, ${wall} ms wall${detail}`,
  );
}

/** Inputs FROM to TO of a run with the bench's seed and limits, each saved to --save before it runs. */
async function replayIndexes(target: FuzzTarget, from: number, to: number): Promise<void> {
  const seeds = target.seeds.map((s) => s.content);
  let index = 0;
  await fc.assert(
    fc.asyncProperty(fuzzCaseArb(BENCH_LIMITS), async (c) => {
      if (++index < from) return;
      const content = applyCase(seeds, c);
      const name = target.seeds[c.seed % target.seeds.length]?.name ?? 'upload';
      const save = option('--save');
      if (save) {
        writeFileSync(save, content);
        writeFileSync(
          save.replace(/\.bin$/, '.txt'),
          `input ${index}\ntarget: ${target.id}\nname: ${name}\n`,
        );
      }
      process.stdout.write(`#${index} `);
      await runOnce(target, content, name);
    }),
    { numRuns: to, seed: Number(option('--seed') ?? 20261207) },
  );
}

async function main(): Promise<void> {
  const index = option('--index');
  if (index !== undefined) {
    const [from, to] = index.split('-').map(Number) as [number, number | undefined];
    return replayIndexes(findTarget(option('--target')), from, to ?? from);
  }
  const file = args[0];
  if (!file?.endsWith('.bin'))
    throw new Error('usage: replay.ts FILE.bin [--times N] | --target ID --index N');
  const about = readFileSync(file.replace(/\.bin$/, '.txt'), 'utf8');
  const target = findTarget(/^target: (.+)$/m.exec(about)?.[1]);
  const name = /^name: (.+)$/m.exec(about)?.[1] ?? 'upload';
  const content = readFileSync(file);
  for (let i = 0; i < Number(option('--times') ?? 1); i++) await runOnce(target, content, name);
}

await main();
