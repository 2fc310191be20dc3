/**
 * Credentials patchcast issues: a prefix naming the kind and 256 random bits, base64url. Only the
 * SHA-256 of the whole secret is stored; a presented secret is hashed and looked up by that hash,
 * then compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `pct_` API token, `pce_` agent enrollment token, `pca_` agent credential. */
export type SecretPrefix = 'pct_' | 'pce_' | 'pca_';

export function makeSecret(prefix: SecretPrefix): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality of two hex hashes of the same length. */
export function isSameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A short public id: `tok_3f9a…` (not derived from the secret). */
export function makePublicId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
