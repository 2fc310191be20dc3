/**
 * Roles and permissions. Each service asks `authorize(actor, permission)` before it reads or changes
 * anything; the API's route matrix test and the CLI go through the same check.
 */
import { PatchcastError } from '../core/errors.js';
import type { Actor } from './deps.js';

export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * - `read`: everything that only reads (assets, findings, plans, reports, audit, model card);
 * - `operate`: imports, sync, plans, rollouts on rings without required approval, exception requests;
 * - `approve`: approving plans, production rings and exceptions;
 * - `admin`: tokens, config, agent enrollment.
 * `agent` is held only by enrolled agents: their own host's jobs and results.
 */
export type Permission = 'read' | 'operate' | 'approve' | 'admin' | 'agent';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  operator: ['read', 'operate'],
  approver: ['read', 'operate', 'approve'],
  admin: ['read', 'operate', 'approve', 'admin'],
};

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'agent') return permission === 'agent';
  return GRANTS[actor.role].includes(permission);
}

/** Throws AUTH_FORBIDDEN unless the actor holds the permission. */
export function authorize(actor: Actor, permission: Permission): void {
  if (can(actor, permission)) return;
  throw new PatchcastError('AUTH_FORBIDDEN', `${actor.id} (${actor.role}) may not ${permission}`, {
    hint: `Use a credential whose role grants ${permission}; an admin can create one with patchcast tokens create.`,
    details: { actor: actor.id, role: actor.role, permission },
  });
}
