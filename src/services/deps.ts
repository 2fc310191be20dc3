/**
 * What every service receives. A service is one use case, `(deps, input) => Promise<output>`; the CLI,
 * the HTTP API and the agent are thin doors that build `deps` and call it. Services are the only code
 * that opens transactions, checks permission and appends audit events.
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import type { Role } from './authz.js';

/** Who asks: a CLI user on the store's machine, an API token, an OIDC user, an agent or patchcast itself. */
export interface Actor {
  kind: 'cli' | 'token' | 'oidc' | 'agent' | 'system';
  /** Stable id written to the audit log, e.g. `cli:alice`, `token:tok_3f…`, `oidc:alice@example.com`. */
  id: string;
  role: Role;
  /** For an agent: the one asset whose jobs it may see. */
  assetId?: string;
}

/** The clock services read; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

/** Structured log lines (pino's shape, so Fastify's request logger fits). Secrets are never passed. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface ServiceDeps {
  store: Store;
  config: Config;
  clock: Clock;
  actor: Actor;
  logger: Logger;
}

export const systemClock: Clock = { now: () => new Date() };

/** A logger that drops everything (the CLI prints its own output). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
