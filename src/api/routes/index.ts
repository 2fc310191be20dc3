import type { RouteSpec } from '../route.js';
import { AGENT_ROUTES } from './agents.js';
import { ASSET_ROUTES } from './assets.js';
import { makeDocRoutes } from './docs.js';
import { EVENT_ROUTES } from './events.js';
import { FINDING_ROUTES } from './findings.js';
import { HEALTH_ROUTES } from './health.js';
import { ME_ROUTES } from './me.js';
import { PLAN_READ_ROUTES } from './plans.js';
import { REPORT_ROUTES } from './reports.js';
import { AGENT_JOB_ROUTES, ROLLOUT_ROUTES } from './rollouts.js';
import { TOKEN_ROUTES } from './tokens.js';
import { VULNERABILITY_ROUTES } from './vulnerabilities.js';
import { WRITE_ROUTES } from './writes.js';

/** Every route of the API; `makeApp`, the OpenAPI document and the route × role test read this list. */
export const ROUTES: readonly RouteSpec[] = [
  ...HEALTH_ROUTES,
  ...ME_ROUTES,
  ...ASSET_ROUTES,
  ...FINDING_ROUTES,
  ...VULNERABILITY_ROUTES,
  ...PLAN_READ_ROUTES,
  ...REPORT_ROUTES,
  ...TOKEN_ROUTES,
  ...WRITE_ROUTES,
  ...AGENT_ROUTES,
  ...ROLLOUT_ROUTES,
  ...AGENT_JOB_ROUTES,
  ...EVENT_ROUTES,
  ...makeDocRoutes(() => ROUTES),
];
