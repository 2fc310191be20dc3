import { useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client';
import { useToken } from './session';

/** Who is signed in (GET /api/v1/me): role and permissions decide what the UI offers. */
export function useMe() {
  const token = useToken();
  return useQuery({
    queryKey: ['me', token],
    enabled: token !== null,
    queryFn: async () => unwrap(await api.GET('/api/v1/me')),
    staleTime: 60_000,
  });
}

/** Whether the signed-in user's role grants the permission (the API enforces it anyway). */
export function can(
  me: Schemas['Me'] | undefined,
  permission: Schemas['Me']['permissions'][number],
): boolean {
  return me?.permissions.includes(permission) ?? false;
}
