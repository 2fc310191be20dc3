/**
 * The controller of `bench/rollout.ts`, in a process of its own so that its CPU figures are the
 * controller's alone (the agents' HTTP clients live in the benchmark's process). The same loop as
 * `runController` (src/services/rollout/run-controller.ts) for agent-only fleets: a reconcile, then a
 * pause of one tick. Every tick prints one JSON line: when it started and ended (epoch ms), its wall
 * time and the CPU it took (process.cpuUsage around `runControllerTick`), and its applied actions.
 * Ends when no rollout is running. Usage: `tsx rollout-controller.ts CONFIG DATABASE_URL TICK_MS`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readConfig } from '../../src/config/index.js';
import { silentLogger, systemClock } from '../../src/services/deps.js';
import { runControllerTick } from '../../src/services/rollout/controller.js';
import { openStore } from '../../src/store/index.js';

export interface TickLine {
  /** The tick's `at` (ISO): the time the store records for what the tick released. */
  at: string;
  startMs: number;
  endMs: number;
  wallMs: number;
  cpuMs: number;
  actions: Array<{ kind: string; ring?: string; limit?: number }>;
}

const [configFile, databaseUrl, tickText] = process.argv.slice(2);
if (!configFile || !databaseUrl) throw new Error('usage: rollout-controller.ts CONFIG DATABASE_URL TICK_MS');
const tickMs = Number(tickText ?? 1000);
const config = readConfig(readFileSync(configFile, 'utf8'), configFile, {});
const store = await openStore({ databaseUrl });
const deps = {
  store,
  config,
  clock: systemClock,
  actor: { kind: 'system', id: 'system:controller', role: 'admin' } as const,
  logger: silentLogger,
};
let stop = false;
process.once('SIGTERM', () => {
  stop = true;
});
try {
  while (!stop) {
    const startMs = Date.now();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const tick = await runControllerTick(deps);
    const used = process.cpuUsage(cpu);
    const line: TickLine = {
      at: tick.at,
      startMs,
      endMs: Date.now(),
      wallMs: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      actions: tick.actions
        .filter((a) => a.applied)
        .map((a) => ({
          kind: a.kind,
          ...('ring' in a ? { ring: a.ring } : {}),
          ...(a.kind === 'release' ? { limit: a.limit } : {}),
        })),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (tick.rollouts === 0) break;
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
} finally {
  await store.close();
}
