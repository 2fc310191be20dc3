/**
 * The part of a CycloneDX BOM patchcast reads, the same for JSON and XML: components (nested), their
 * purl, CPE and properties, and `metadata.component`, the BOM's subject.
 */

export interface CdxComponent {
  type?: string;
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
  cpe?: string;
  /** `name → value`; the first value wins when a name repeats. */
  properties: Map<string, string>;
  components: CdxComponent[];
  /** JSON pointer or XML path, for warnings and explanations. */
  location: string;
}

export interface CdxDocument {
  specVersion?: string;
  subject?: CdxComponent;
  components: CdxComponent[];
}
