import { authorize, can, type Permission, type Role } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/** Who the caller is, as the web dashboard needs it to offer only what the role allows. */
export interface Me {
  /** The id written to the audit log (`token:…`, `oidc:…`). */
  id: string;
  kind: ServiceDeps['actor']['kind'];
  role: Role;
  /** Every permission the role grants, from authz.ts (the one place that decides). */
  permissions: Permission[];
}

const PERMISSIONS: readonly Permission[] = ['read', 'operate', 'approve', 'admin'];

/** The caller's identity and permissions (`GET /api/v1/me`); any person's credential may ask. */
export async function loadMe(deps: ServiceDeps): Promise<Me> {
  authorize(deps.actor, 'read');
  const { actor } = deps;
  return {
    id: actor.id,
    kind: actor.kind,
    role: actor.role,
    permissions: PERMISSIONS.filter((p) => can(actor, p)),
  };
}
