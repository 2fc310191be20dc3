import type { RunOptions } from '../contract.js';

/** The PATH a command gets on any host: root's tools included, so `dpkg`, `apt-get` and `sshd` are found. */
export const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Default kill-after for a command (the contract's 10 minutes). */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** Exit codes the contract gives to a timeout and to a missing program, as coreutils' `timeout` and shells do. */
export const TIMED_OUT = 124;
export const NOT_FOUND = 127;

/**
 * The environment every command starts with: nothing inherited from the controller (no tokens, no
 * locale that changes apt's wording), plus the caller's extra variables.
 */
export function getCommandEnv(options: RunOptions = {}): Record<string, string> {
  return {
    PATH: HOST_PATH,
    LANG: 'C',
    LC_ALL: 'C',
    DEBIAN_FRONTEND: 'noninteractive',
    ...options.env,
  };
}

/**
 * A constant script that tells a missing file (exit 3) from an unreadable one (cat's exit 1); the path
 * arrives as "$1", never inside the script's text.
 */
export const READ_FILE_SCRIPT = ['sh', '-c', 'if [ -e "$1" ]; then exec cat -- "$1"; else exit 3; fi', 'sh'];
export const READ_FILE_MISSING = 3;
