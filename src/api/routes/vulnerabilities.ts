import { z } from 'zod';
import { loadVulnerability } from '../../services/findings/load-vulnerability.js';
import { defineRoute } from '../route.js';
import { idParam } from '../schemas.js';

/** As `patchcast explain CVE-… --json` (src/services/findings/explain-from-store.ts `CveForecast`). */
const cveForecastSchema = z
  .looseObject({
    cve: z.string(),
    asOf: z.string(),
    model: z.string(),
    horizonDays: z.number(),
    kev: z
      .object({ since: z.string(), ransomware: z.boolean(), dueDate: z.string().nullable() })
      .nullable()
      .describe('set when the CVE is in CISA KEV on the day: the model does not score it'),
    probability: z.number().nullable().describe('P(a KEV listing within the horizon); null for a KEV CVE'),
    percentile: z.number().nullable(),
    onEpssScale: z.number().nullable(),
    inPopulation: z.boolean(),
    factors: z.array(
      z.object({ feature: z.string(), value: z.number(), contribution: z.number(), text: z.string() }),
    ),
    epss: z.object({ score: z.number(), date: z.string() }).nullable(),
  })
  .meta({ id: 'CveForecast', description: "A CVE's exploit forecast: probability, percentile, top factors" });

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
        vulnerability: z
          .looseObject({
            id: z.string(),
            source: z.string().describe('the feed that supplied it: osv, cve, nvd, …'),
            aliases: z.array(z.string()),
            summary: z.string().optional(),
            details: z.string().optional(),
            severity: z.string().optional().describe('as published: CRITICAL, HIGH, MEDIUM, LOW'),
            cvssScore: z.number().optional(),
            cvssVector: z.string().optional(),
            published: z.string().optional(),
            modified: z.string().optional(),
            withdrawn: z.string().optional(),
          })
          .meta({
            id: 'Vulnerability',
            description: 'The stored record: aliases, severity, CVSS, affected packages',
          }),
        forecast: cveForecastSchema.nullable(),
      })
      .meta({ id: 'VulnerabilityWithForecast' }),
    handler: async ({ deps, params, query }) => loadVulnerability(deps, { id: params.id, top: query.top }),
  }),
];
