/**
 * One asset-registry row: column names and values as people write them in spreadsheets, normalized
 * and checked with zod into an `AssetRecord`.
 */
import { z } from 'zod';
import type { AssetRecord } from '../types.js';

/** Accepted column names (lower case, `_`/`-`/space ignored) → field. */
const COLUMN_ALIASES: Readonly<Record<string, string>> = {
  id: 'id',
  hostname: 'id',
  host: 'id',
  assetid: 'id',
  kind: 'kind',
  type: 'kind',
  environment: 'environment',
  env: 'environment',
  criticality: 'criticality',
  internetexposed: 'internetExposed',
  internetexposure: 'internetExposed',
  internetfacing: 'internetExposed',
  exposed: 'internetExposed',
  dataclassification: 'dataClassification',
  classification: 'dataClassification',
  owner: 'owner',
  services: 'services',
  service: 'services',
  tags: 'tags',
  windowgroup: 'windowGroup',
  maintenancewindow: 'windowGroup',
  window: 'windowGroup',
};

/** The field a column name stands for, or undefined for a column patchcast does not read. */
export function getFieldOfColumn(column: string): string | undefined {
  return COLUMN_ALIASES[column.toLowerCase().replace(/[\s_-]+/g, '')];
}

const KIND_ALIASES: Readonly<Record<string, AssetRecord['kind']>> = {
  host: 'host',
  server: 'host',
  vm: 'host',
  'container-image': 'container-image',
  container: 'container-image',
  image: 'container-image',
  'k8s-workload': 'k8s-workload',
  kubernetes: 'k8s-workload',
  workload: 'k8s-workload',
  'cloud-resource': 'cloud-resource',
  cloud: 'cloud-resource',
  application: 'application',
};

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  false: false,
  no: false,
  n: false,
  '0': false,
};

const optionalText = z
  .string()
  .trim()
  .max(1024)
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A list cell: a YAML list, or text split on `;`, `|` or `,`. */
const list = z
  .union([z.array(z.string().trim().min(1).max(256)).max(1000), z.string().max(16_384)])
  .optional()
  .transform((value) => {
    if (value === undefined) return [];
    const items = Array.isArray(value) ? value : value.split(/[;|,]/);
    return [...new Set(items.map((item) => item.trim()).filter(Boolean))];
  });

const kind = z
  .string()
  .trim()
  .transform((value) => KIND_ALIASES[value.toLowerCase().replace(/[\s_]+/g, '-')])
  .pipe(
    z.enum(['host', 'container-image', 'k8s-workload', 'cloud-resource', 'application'], {
      error: 'expected host, container-image, k8s-workload or cloud-resource',
    }),
  );

const exposure = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((value) =>
    typeof value === 'string' ? BOOLEANS[value.trim().toLowerCase() || 'false'] : (value ?? false),
  )
  .pipe(z.boolean({ error: 'expected true/false or yes/no' }));

/** The zod shape of one row after column names are mapped to fields. */
export const assetRowShape = z.object({
  id: z.string().trim().min(1, 'id (or hostname) is required').max(256),
  kind,
  environment: optionalText,
  criticality: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(
      z
        .enum(['low', 'medium', 'high', 'critical'], { error: 'expected low, medium, high or critical' })
        .optional(),
    ),
  internetExposed: exposure,
  dataClassification: optionalText,
  owner: optionalText,
  services: list,
  tags: list,
  windowGroup: optionalText,
});

/** Drops the undefined optionals zod leaves, so records compare cleanly. */
export function toAssetRecord(row: z.infer<typeof assetRowShape>, location: string): AssetRecord {
  const record: AssetRecord = { ...row, location } as AssetRecord;
  for (const key of Object.keys(record) as (keyof AssetRecord)[])
    if (record[key] === undefined) delete record[key];
  return record;
}
