/**
 * The README's rollout lab: `npx tsx scripts/rollout-lab.ts up DIR` builds a local apt repository of
 * demo packages and two test hosts (overlays of this machine's root in their own mount namespaces;
 * needs root; this machine's own packages are never touched) and writes the walk-through's files
 * into DIR; `down DIR` removes the hosts and DIR.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeRolloutLab } from '../test/support/rollout-lab.js';
import { destroyTestHostDir, keepTestHost } from '../test/support/test-hosts.js';

const [verb, target] = process.argv.slice(2);
if (!target || !['up', 'down'].includes(verb ?? '')) {
  process.stderr.write('usage: npx tsx scripts/rollout-lab.ts up|down DIR\n');
  process.exit(2);
}
const dir = resolve(target);
if (verb === 'up') {
  if (process.getuid?.() !== 0) {
    process.stderr.write('the lab mounts overlays in new mount namespaces: run it as root\n');
    process.exit(2);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    process.stderr.write(`${dir} is not empty; choose a new directory (or run: down ${target})\n`);
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  const lab = await makeRolloutLab(dir);
  await keepTestHost(lab.hosts.a);
  await keepTestHost(lab.hosts.b);
  process.stdout.write(
    [
      `lab ready in ${dir}:`,
      `  host-a (pcdemo-lib ${await lab.hosts.a.installed('pcdemo-lib')}) and host-b (pcdemo ${await lab.hosts.b.installed('pcdemo')})`,
      '  patchcast.yaml, host-a.agent-report.json, host-b.agent-report.json, advisories/',
      `next: cd ${dir} and follow the README's "Rollout" section; remove it with: npx tsx scripts/rollout-lab.ts down ${target}`,
      '',
    ].join('\n'),
  );
} else {
  for (const name of existsSync(join(dir, 'hosts')) ? readdirSync(join(dir, 'hosts')) : [])
    await destroyTestHostDir(join(dir, 'hosts', name));
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`lab ${dir} removed\n`);
}
