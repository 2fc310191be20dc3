/**
 * Fencing on the host itself. The store refuses a stale holder's reports, but not its commands: a
 * worker paused past its lease (or one whose lease was taken while it ran `apt-get`) may still be
 * changing the host when the next holder reads it. The drill found exactly that: the new holder saw
 * the host at the recorded versions mid-install, applied again, collided with the old install on the
 * dpkg lock, failed its rollback, and ended the job `failed` while the old holder's install finished
 * and left the broken version in place.
 *
 * So every command a job runs goes through `flock` on a per-job lock file, and under that lock a
 * constant script compares the holder's token with the highest token the host has seen for the job:
 * a lower one is refused (exit 75, the host unchanged), a higher one is recorded. A new holder first
 * claims the fence: its claim waits for the old holder's running command to end, and from then on
 * the old holder cannot run anything on the host.
 */
import { PatchcastError } from '../core/errors.js';
import type { CommandResult, Executor, RunOptions } from './contract.js';

/** Where hosts keep their per-job fence files (token, lock). */
export const FENCE_DIR = '/var/lib/patchcast/fence';
/** EX_TEMPFAIL: the fence refused a superseded token. */
export const FENCE_REFUSED_EXIT = 75;
const FENCE_MARK = 'patchcast-fence: superseded';

/**
 * Runs under the lock (flock -o: the command does not inherit the lock's descriptor, so a daemon a
 * postinst starts cannot hold it). "$1" the token file, "$2" the holder's token, then the command.
 */
const FENCE_SCRIPT = [
  'seen=$(cat "$1" 2>/dev/null) || seen=0',
  'case "$seen" in ""|*[!0-9]*) seen=0 ;; esac',
  `if [ "$seen" -gt "$2" ]; then echo "${FENCE_MARK}: token $2, the host has seen token $seen" >&2; exit ${FENCE_REFUSED_EXIT}; fi`,
  'if [ "$seen" -lt "$2" ]; then printf "%s\\n" "$2" > "$1.new" && mv -f "$1.new" "$1" || exit 1; fi',
  'f=$1',
  'shift 2',
  // The command must outlive its holder: a controller or agent killed mid-install must not take dpkg
  // down with it (a half-done install the next holder could only roll back). So hang-ups and broken
  // pipes are ignored (the command inherits that), and its output goes to files on the host, printed
  // once it has ended; the next holder's claim waits on the lock until then.
  "trap '' HUP PIPE",
  '"$@" > "$f.out" 2> "$f.err"',
  'rc=$?',
  'cat "$f.out"; cat "$f.err" >&2',
  'rm -f "$f.out" "$f.err"',
  'exit $rc',
].join('\n');

export interface FencedExecutor extends Executor {
  /** Takes the fence for this token: waits for an older holder's command to end, then bars it. */
  claim(): Promise<void>;
}

/** A job id as a file name on the host. */
function getFenceName(jobId: string): string {
  return jobId.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The argv that runs `argv` under the job's fence with `token`. */
export function getFencedArgv(
  argv: readonly string[],
  jobId: string,
  token: number,
  dir = FENCE_DIR,
): string[] {
  const file = `${dir}/${getFenceName(jobId)}`;
  // nohup: flock holds the lock, so it must not die of the hang-up an SSH session's end sends either.
  return [
    'nohup',
    'flock',
    '-o',
    `${file}.lock`,
    'sh',
    '-c',
    FENCE_SCRIPT,
    'patchcast-fence',
    file,
    String(token),
    ...argv,
  ];
}

/**
 * `executor` with every command fenced by (jobId, token). A refused command rejects with
 * ROLLOUT_LEASE_STALE, which ends the run as a lost lease. A dry-run executor changes nothing and is
 * returned as it is.
 */
export function makeFencedExecutor(
  executor: Executor,
  lease: { jobId: string; token: number },
  dir = FENCE_DIR,
): FencedExecutor {
  if (executor.kind === 'dry-run')
    return Object.assign(Object.create(executor) as Executor, { claim: async () => undefined });
  const run = async (argv: readonly string[], options?: RunOptions): Promise<CommandResult> => {
    const result = await executor.run(getFencedArgv(argv, lease.jobId, lease.token, dir), options);
    if (result.code === FENCE_REFUSED_EXIT && result.stderr.includes(FENCE_MARK))
      throw new PatchcastError(
        'ROLLOUT_LEASE_STALE',
        `job ${lease.jobId}: the host refused lease token ${lease.token}: ${result.stderr.trim()}`,
        { details: { jobId: lease.jobId, token: lease.token } },
      );
    return result;
  };
  return {
    kind: executor.kind,
    run,
    readFile: (path) => executor.readFile(path),
    close: () => executor.close(),
    async claim() {
      const made = await executor.run(['mkdir', '-p', '--', dir]);
      if (made.code !== 0) throw new Error(`cannot create ${dir} on the host: ${made.stderr.trim()}`);
      const claimed = await run(['true']);
      if (claimed.code !== 0)
        throw new Error(`cannot take the job's fence on the host: ${claimed.stderr.trim()}`);
    },
  };
}
