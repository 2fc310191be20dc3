export { OUTPUT_KEEP_BYTES } from './capture.js';
export {
  type DryRunCall,
  type DryRunExecutor,
  type DryRunExecutorOptions,
  makeDryRunExecutor,
} from './dry-run.js';
export { HOST_PATH } from './env.js';
export { getKeyFingerprint, getPinnedKeys } from './known-hosts.js';
export { getLocalArgv, type LocalExecutorOptions, makeLocalExecutor } from './local.js';
export { quoteArgv, quoteForShell } from './shell-quote.js';
export { getRemoteCommand, makeSshExecutor, type SshExecutorOptions } from './ssh.js';
