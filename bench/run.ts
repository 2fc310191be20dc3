import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `npm run bench [name…]`: runs each benchmark in bench/ (or the ones named) in its own process, so
// one benchmark's heap and JIT state never colour another's figures. Flags (`--quick`, `--hosts 500`)
// are passed on to each benchmark; the other arguments name benchmarks.
const dir = fileURLToPath(new URL('.', import.meta.url));
const { wanted, flags } = splitArgs(process.argv.slice(2));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.spec.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n== bench/${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`, ...flags], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
if (files.length === 0) console.log('no benchmarks matched');
process.exitCode = failed ? 1 : 0;

/** Benchmark names, and flags with their values (a number or a backend name right after a flag is its value). */
function splitArgs(args: readonly string[]): { wanted: string[]; flags: string[] } {
  const wanted: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      wanted.push(arg);
      continue;
    }
    flags.push(arg);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--') && /^\d+$|^(sqlite|postgres)$/.test(next)) {
      flags.push(next);
      i++;
    }
  }
  return { wanted, flags };
}
