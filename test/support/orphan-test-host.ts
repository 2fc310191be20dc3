/**
 * Run as a program by the sweeper's test: makes a test host, starts a long process inside it, prints
 * the host's directory and waits to be SIGKILLed — leaving exactly what a crashed test run leaves.
 */
import { makeTestHost } from './test-hosts.js';

const [dir, repo] = process.argv.slice(2);
if (dir === undefined || repo === undefined) throw new Error('usage: orphan-test-host.ts DIR REPO');
const host = await makeTestHost({ dir, repo, hostname: 'pc-orphan' });
const child = host.spawn(['sleep', '300']);
process.stdout.write(`${JSON.stringify({ dir: host.dir, pid: child.pid })}\n`);
setInterval(() => {}, 60_000);
