import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { explainCveFromStore } from '../../pipeline/explain-from-store.js';
import { loadVulnerability } from '../../store/index.js';
import { defineRoute } from '../route.js';
import { idParam, openObject } from '../schemas.js';

const CVE = /^CVE-\d{4}-\d{4,}$/;

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
    handler: async ({ deps, params, query }) => {
      const vulnerability = await loadVulnerability(deps.store.db, params.id);
      if (!vulnerability)
        throw new PatchcastError('STORE_NOT_FOUND', `no vulnerability ${params.id} in the store`, {
          hint: 'Sync the feeds first (POST /api/v1/sync), or check the id.',
        });
      const cve = [vulnerability.id, ...vulnerability.aliases].find((id) => CVE.test(id));
      const forecast = cve
        ? await explainCveFromStore(deps.store, cve, { now: deps.clock.now(), top: query.top })
        : null;
      return { vulnerability, forecast };
    },
  }),
];
