import { z } from 'zod';
import { loadVulnerability } from '../../services/findings/load-vulnerability.js';
import { defineRoute } from '../route.js';
import { idParam, openObject } from '../schemas.js';

export const VULNERABILITY_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/vulnerabilities/:id',
    tag: 'vulnerabilities',
    summary:
      "A vulnerability (by id or alias) and, for a CVE, its exploit forecast with the forecast's explanation",
    access: 'read',
    params: idParam,
    query: z.strictObject({ top: z.coerce.number().int().min(1).max(50).default(5) }),
    response: z
      .object({
        vulnerability: openObject(
          'Vulnerability',
          'The stored record: aliases, severity, CVSS, affected packages',
        ),
        forecast: openObject(
          'CveForecast',
          'As `patchcast explain CVE-… --json`: probability, percentile, factors',
        ).nullable(),
      })
      .meta({ id: 'VulnerabilityWithForecast' }),
    handler: async ({ deps, params, query }) => loadVulnerability(deps, { id: params.id, top: query.top }),
  }),
];
