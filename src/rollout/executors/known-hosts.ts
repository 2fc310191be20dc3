import { createHash, createHmac } from 'node:crypto';

/** `SHA256:` + unpadded base64 of the key blob: the form `ssh-keygen -l` and OpenSSH's warnings print. */
export function getKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of an SSH public key blob (RFC 4253 §6.6). */
export function getKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** The name known_hosts uses for a host: bare on port 22, `[host]:port` otherwise (sshd(8) SSH_KNOWN_HOSTS FILE FORMAT). */
export function getKnownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface PinnedKeys {
  /** Key blobs accepted for the host. */
  accepted: Buffer[];
  /** Key blobs marked `@revoked`: refused even if also listed. */
  revoked: Buffer[];
}

/**
 * The keys a known_hosts text pins for one host: plain, wildcard and negated patterns and hashed
 * names (`|1|salt|hash`) are matched; `@cert-authority` lines are not supported and so pin nothing.
 */
export function getPinnedKeys(knownHosts: string, host: string, port: number): PinnedKeys {
  const name = getKnownHostsName(host, port);
  const pinned: PinnedKeys = { accepted: [], revoked: [] };
  for (const raw of knownHosts.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [patterns, , key] = fields;
    if (patterns === undefined || key === undefined || marker === '@cert-authority') continue;
    if (!matchesHost(patterns, name)) continue;
    (marker === '@revoked' ? pinned.revoked : pinned.accepted).push(Buffer.from(key, 'base64'));
  }
  return pinned;
}

function matchesHost(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return matchesHashed(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function matchesHashed(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}
