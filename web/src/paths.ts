/**
 * The app's pages, one deep link each. `patchcast serve` answers index.html at exactly these paths
 * (src/api/web-routes.ts `WEB_PAGES`; src/api/web-routes.spec.ts keeps the two lists equal).
 */
export const PATHS = {
  overview: '/',
  signIn: '/sign-in',
  findings: '/findings',
  vulnerability: '/vulnerabilities/:id',
  asset: '/assets/:id',
} as const;

export const vulnerabilityPath = (id: string) => `/vulnerabilities/${encodeURIComponent(id)}`;
export const assetPath = (id: string) => `/assets/${encodeURIComponent(id)}`;
