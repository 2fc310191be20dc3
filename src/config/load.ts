import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { PatchcastError } from '../core/errors.js';
import { getDurationMinutes } from './duration.js';
import { getPlannedKeyMessage } from './planned.js';
import { checkConfigRules } from './rules.js';
import { configSchema, type ParsedConfig } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'patchcast.yaml';
const MAX_CONFIG_BYTES = 1024 * 1024;

type Window = ParsedConfig['windows'][number];
type Ring = ParsedConfig['rings'][number];

/** The config after all three steps: durations in minutes, paths absolute, environment applied. */
export interface Config extends Omit<ParsedConfig, 'windows' | 'rings' | 'store'> {
  store: { home: string };
  windows: Array<Window & { durationMinutes: number; cutoffMinutes: number }>;
  rings: Array<Ring & { soakMinutes: number }>;
  /** The file it came from, or null for the built-in defaults. */
  file: string | null;
}

/** Formats zod issues as `path: message`, one per line; keys of planned features say so. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const keyPath = formatPath([...issue.path, key]);
        return `${keyPath}: ${getPlannedKeyMessage(keyPath) ?? 'unknown key; check its spelling against the schema'}`;
      });
    }
    return [`${path || '(root)'}: ${issue.message}`];
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Step 1: YAML text to the typed shape, or CONFIG_INVALID_YAML / CONFIG_INVALID naming the file and fields. */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const where = yamlError.linePos?.[0] ? `:${yamlError.linePos[0].line}:${yamlError.linePos[0].col}` : '';
    const first = (
      yamlError instanceof YAMLParseError ? (yamlError.message.split('\n')[0] ?? '') : String(yamlError)
    ).replace(/ at line \d+, column \d+:?$/, '');
    throw new PatchcastError('CONFIG_INVALID_YAML', `${file}${where}: ${first}`, { details: { file } });
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const lines = formatIssues(result.error.issues);
    throw new PatchcastError('CONFIG_INVALID', `${file}: ${lines.join('; ')}`, {
      details: { file, issues: lines },
    });
  }
  return result.data;
}

/** Step 2: defaults that depend on the environment and the file's place; durations to minutes. */
export function normalizeConfig(
  parsed: ParsedConfig,
  file: string | null,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const base = file ? dirname(file) : process.cwd();
  // PATCHCAST_HOME and the default are relative to the working directory; store.home to the file.
  const home = env.PATCHCAST_HOME
    ? resolve(env.PATCHCAST_HOME)
    : parsed.store.home
      ? resolve(base, parsed.store.home)
      : resolve('.patchcast');
  return {
    ...parsed,
    file,
    store: { home },
    windows: parsed.windows.map((w) => ({
      ...w,
      durationMinutes: getDurationMinutes(w.duration),
      cutoffMinutes: getDurationMinutes(w.cutoff),
    })),
    freezes: parsed.freezes.map((f) => ('ics' in f ? { ...f, ics: resolve(base, f.ics) } : f)),
    rings: parsed.rings.map((r) => ({ ...r, soakMinutes: getDurationMinutes(r.soak) })),
    model: { ...parsed.model, ...(parsed.model.data ? { data: resolve(base, parsed.model.data) } : {}) },
    rollout: {
      ...parsed.rollout,
      hosts: parsed.rollout.hosts.map((h) =>
        h.ssh
          ? {
              ...h,
              ssh: {
                ...h.ssh,
                privateKey: resolve(base, h.ssh.privateKey),
                knownHosts: resolve(base, h.ssh.knownHosts),
              },
            }
          : h,
      ),
    },
    server: {
      ...parsed.server,
      ...(parsed.server.tls
        ? { tls: { key: resolve(base, parsed.server.tls.key), cert: resolve(base, parsed.server.tls.cert) } }
        : {}),
    },
  };
}

/** Parse, normalize and check a config text (all three steps). */
export function readConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const config = normalizeConfig(parseConfigText(text, file), file, env);
  const problems = checkConfigRules(config);
  if (problems.length > 0) {
    throw new PatchcastError('CONFIG_INVALID', `${file}: ${problems.join('; ')}`, {
      details: { file, issues: problems },
    });
  }
  return config;
}

/**
 * Loads `patchcast.yaml`: the given file (which must exist), else PATCHCAST_CONFIG, else
 * ./patchcast.yaml when present, else the built-in defaults.
 */
export function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Config {
  const explicit = file || env.PATCHCAST_CONFIG || undefined;
  const path = resolve(explicit ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit)
      throw new PatchcastError('CONFIG_NOT_FOUND', `config file ${path} does not exist`, {
        details: { file: path },
      });
    return normalizeConfig(configSchema.parse({}), null, env);
  }
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new PatchcastError('CONFIG_NOT_FOUND', `config file ${path} ${why}`, {
      cause: error,
      details: { file: path },
    });
  }
  if (text.length > MAX_CONFIG_BYTES) {
    throw new PatchcastError('CONFIG_INVALID', `${path}: the file is larger than 1 MiB`, {
      details: { file: path },
    });
  }
  return readConfig(text.toString('utf8'), path, env);
}
