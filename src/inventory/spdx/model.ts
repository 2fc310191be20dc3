/** The part of an SPDX document patchcast reads, the same for 2.x JSON, 2.x tag-value and 3.0 JSON-LD. */

export interface SpdxPackage {
  id: string;
  name?: string;
  version?: string;
  /** purls from external references (2.x) or `software_packageUrl` / external identifiers (3.0). */
  purls: string[];
  /** `primaryPackagePurpose` (2.3) or `software_primaryPurpose` (3.0), upper-cased with `_` → `-`. */
  purpose?: string;
  location: string;
}

export interface SpdxDocument {
  packages: SpdxPackage[];
  /** Ids of the elements the document describes (its subject). */
  describes: string[];
}

/** `operatingSystem`, `OPERATING_SYSTEM`, `operating-system` → `OPERATING-SYSTEM`. */
export function normalizePurpose(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toUpperCase();
}
