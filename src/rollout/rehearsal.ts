/**
 * A rehearsal runs the job's own commands (refresh, install, command probes) in a throw-away copy of
 * the host: a new mount namespace where every real filesystem of the host is an overlay whose upper
 * layer lives on a tmpfs. Whatever the commands write lands in that tmpfs and is gone when the
 * namespace's last process exits; the host's own files and package database are never written.
 */

/** Separates one command's arguments from the next in the script's positional arguments. */
export const REHEARSAL_NEXT = '--patchcast-next--';

export const DEFAULT_REHEARSAL_SCRATCH = '/run/patchcast-rehearsal';

/*
 * The script is a constant: the scratch directory and the commands arrive as positional arguments
 * ($1 = scratch, then the commands separated by REHEARSAL_NEXT), so nothing a job says is ever read
 * by a shell as code.
 *
 * Why an overlay per mount and not only of `/`: an overlay of `/` shows what lies *under* the host's
 * other mounts (an empty /var on a separate disk, an empty /mnt where a repository is bound), so apt
 * would rehearse against the wrong files. Each writable mount therefore gets its own overlay (upper on
 * the same tmpfs: an overlay's upper layer cannot be another overlay); a read-only mount is bound read-only,
 * as it is on the host. A mount that cannot be overlaid stays as the root overlay shows it: still
 * writable only into the tmpfs, so the host stays untouched either way.
 *
 * What a maintainer script could still reach on the real host is fenced off too: its own pid namespace
 * (a fresh /proc; it cannot see or signal the host's processes, and whatever it leaves running dies
 * with the rehearsal's first process), /proc/sys and /sys read-only, and a /dev with only the character
 * devices programs expect, never the disks (grub-install, mkfs, dd). policy-rc.d answering 101
 * ("action forbidden", Debian's invoke-rc.d interface) keeps it from starting or restarting services.
 */
const SCRIPT = `set -eu
s=$1; shift
mkdir -p "$s"
mount -t tmpfs -o mode=0700 patchcast-rehearsal "$s"
m="$s/m"
mkdir -p "$s/mounts" "$m"
cat /proc/self/mounts > "$s/mounts.txt"
n=0
overlay() {
  n=$((n + 1))
  mkdir -p "$s/mounts/$n/u" "$s/mounts/$n/w"
  mount -t overlay patchcast-rehearsal -o "lowerdir=$1,upperdir=$s/mounts/$n/u,workdir=$s/mounts/$n/w" "$2"
}
overlay / "$m"
while read -r dev mnt type opts rest; do
  case "$mnt" in /|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|"$s"|"$s"/*) continue ;; esac
  case "$mnt" in *[!A-Za-z0-9/._+@=-]*) continue ;; esac
  case "$type" in proc|sysfs|devtmpfs|devpts|cgroup|cgroup2|securityfs|debugfs|tracefs|pstore|bpf|mqueue|hugetlbfs|configfs|fusectl|binfmt_misc|autofs|efivarfs|nsfs|rpc_pipefs|fuse|fuse.*) continue ;; esac
  [ -d "$m$mnt" ] || continue
  case ",$opts," in
    *,ro,*) mount --bind "$mnt" "$m$mnt" && mount -o remount,bind,ro "$m$mnt" || echo "rehearsal: $mnt not bound" >&2 ;;
    *) overlay "$mnt" "$m$mnt" || echo "rehearsal: $mnt not overlaid" >&2 ;;
  esac
done < "$s/mounts.txt"
mount -t proc patchcast-rehearsal "$m/proc" 2>/dev/null || mount --bind /proc "$m/proc"
mount --bind "$m/proc/sys" "$m/proc/sys" && mount -o remount,bind,ro "$m/proc/sys"
mount -t tmpfs -o mode=0755,nosuid patchcast-rehearsal "$m/dev"
for d in null zero full random urandom tty; do
  if [ -e "/dev/$d" ]; then : > "$m/dev/$d"; mount --bind "/dev/$d" "$m/dev/$d"; fi
done
mkdir -p "$m/dev/pts" "$m/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 patchcast-rehearsal "$m/dev/pts" 2>/dev/null && ln -s pts/ptmx "$m/dev/ptmx" || true
mount -t tmpfs -o mode=1777,nosuid,nodev patchcast-rehearsal "$m/dev/shm"
ln -s /proc/self/fd "$m/dev/fd"
ln -s /proc/self/fd/0 "$m/dev/stdin"; ln -s /proc/self/fd/1 "$m/dev/stdout"; ln -s /proc/self/fd/2 "$m/dev/stderr"
if [ -d /sys ] && [ -d "$m/sys" ]; then mount --rbind /sys "$m/sys" && mount -o remount,bind,ro "$m/sys"; fi
if [ -d "$m/usr/sbin" ]; then printf '#!/bin/sh\\nexit 101\\n' > "$m/usr/sbin/policy-rc.d"; chmod 755 "$m/usr/sbin/policy-rc.d"; fi
set +e
while [ $# -gt 0 ]; do
  k=0
  for a in "$@"; do [ "$a" = "${REHEARSAL_NEXT}" ] && break; k=$((k + 1)); done
  (
    i=0
    while [ $i -lt $k ]; do set -- "$@" "$1"; shift; i=$((i + 1)); done
    shift $(($# - k))
    exec chroot "$m" "$@"
  )
  code=$?
  if [ $code -ne 0 ]; then echo "rehearsal: command exited with $code" >&2; exit $code; fi
  shift $k
  if [ $# -gt 0 ]; then shift; fi
done
exit 0
`;

export interface RehearsalOptions {
  /** Where the tmpfs is mounted inside the rehearsal's own mount namespace (invisible to the host). */
  scratch?: string;
}

/**
 * One argv that runs each of `argvList` in turn inside a throw-away overlay of the host and exits
 * with the first failing command's code (0 when all succeed). Run it through the host's executor.
 */
export function makeRehearsalArgv(
  argvList: readonly (readonly string[])[],
  options: RehearsalOptions = {},
): string[] {
  const scratch = options.scratch ?? DEFAULT_REHEARSAL_SCRATCH;
  if (!scratch.startsWith('/') || scratch === '/') {
    throw new Error(`rehearsal scratch must be an absolute directory other than /, got "${scratch}"`);
  }
  const positional: string[] = [];
  for (const argv of argvList) {
    if (argv.length === 0) throw new Error('rehearsal: an empty command cannot be rehearsed');
    if (argv.includes(REHEARSAL_NEXT))
      throw new Error(`rehearsal: an argument equals the separator ${REHEARSAL_NEXT}`);
    if (positional.length > 0) positional.push(REHEARSAL_NEXT);
    positional.push(...argv);
  }
  return [
    'unshare',
    '--mount',
    '--pid',
    '--fork',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    SCRIPT,
    'sh',
    scratch,
    ...positional,
  ];
}
