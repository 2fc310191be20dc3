/** VEX statements in one shape, whatever document carried them (CycloneDX VEX, OpenVEX, CSAF VEX). */

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** What a statement is about: a package (by purl) or a product (by name, as the asset or SBOM subject). */
export interface VexProduct {
  purl?: string;
  name?: string;
  version?: string;
  /** A purl `vers:` range of product versions (CycloneDX `affects[].versions[].range`). */
  range?: string;
  /** Packages inside the product the statement narrows itself to (OpenVEX subcomponents). */
  subcomponents?: string[];
}

export interface VexStatement {
  vulnerability: string;
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  detail?: string;
  /** The document (file) the statement came from, for the explanation. */
  source: string;
  timestamp?: string;
}
