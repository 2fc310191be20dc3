/** SPDX 2.2/2.3 JSON and SPDX 3.0 JSON-LD → the shared model. */
import { asList, asRecord, asText } from '../decode.js';
import { normalizePurpose, type SpdxDocument, type SpdxPackage } from './model.js';

function readPurls2(refs: unknown): string[] {
  const purls: string[] = [];
  for (const ref of asList(refs)) {
    const record = asRecord(ref);
    // The category is spelled PACKAGE-MANAGER in 2.3 and PACKAGE_MANAGER in 2.2 JSON.
    const category = asText(record?.referenceCategory)?.replace('_', '-');
    const locator = asText(record?.referenceLocator);
    if (category === 'PACKAGE-MANAGER' && asText(record?.referenceType) === 'purl' && locator)
      purls.push(locator);
  }
  return purls;
}

/** Reads an SPDX 2.x JSON document. */
export function readSpdx2Json(root: Record<string, unknown>): SpdxDocument {
  const packages: SpdxPackage[] = asList(root.packages).map((item, index) => {
    const record = asRecord(item) ?? {};
    const name = asText(record.name);
    const version = asText(record.versionInfo);
    const purpose = normalizePurpose(asText(record.primaryPackagePurpose));
    return {
      id: asText(record.SPDXID) ?? `#${index}`,
      ...(name ? { name } : {}),
      ...(version ? { version } : {}),
      ...(purpose ? { purpose } : {}),
      purls: readPurls2(record.externalRefs),
      location: `/packages/${index}`,
    };
  });
  const describes = asList(root.documentDescribes)
    .map(asText)
    .filter((id): id is string => !!id);
  for (const item of asList(root.relationships)) {
    const rel = asRecord(item);
    const target = asText(rel?.relatedSpdxElement);
    if (rel?.relationshipType === 'DESCRIBES' && rel.spdxElementId === 'SPDXRef-DOCUMENT' && target)
      describes.push(target);
  }
  return { packages, describes };
}

function readPurls3(record: Record<string, unknown>): string[] {
  const purls: string[] = [];
  const direct = asText(record.software_packageUrl) ?? asText(record.packageUrl);
  if (direct) purls.push(direct);
  for (const item of asList(record.externalIdentifier)) {
    const id = asRecord(item);
    const identifier = asText(id?.identifier);
    if (id?.externalIdentifierType === 'packageUrl' && identifier && !purls.includes(identifier))
      purls.push(identifier);
  }
  return purls;
}

/** Reads an SPDX 3.0 JSON-LD document: `software_Package` elements, `rootElement` as the subject. */
export function readSpdx3Json(root: Record<string, unknown>): SpdxDocument {
  const packages: SpdxPackage[] = [];
  const describes: string[] = [];
  for (const [index, item] of asList(root['@graph']).entries()) {
    const record = asRecord(item);
    const type = asText(record?.type) ?? asText(record?.['@type']);
    if (!record || !type) continue;
    if (type === 'SpdxDocument' || type === 'software_Sbom') {
      describes.push(
        ...asList(record.rootElement)
          .map(asText)
          .filter((id): id is string => !!id),
      );
    }
    if (type !== 'software_Package') continue;
    const name = asText(record.name);
    const version = asText(record.software_packageVersion);
    const purpose = normalizePurpose(asText(record.software_primaryPurpose));
    packages.push({
      id: asText(record.spdxId) ?? asText(record['@id']) ?? `#${index}`,
      ...(name ? { name } : {}),
      ...(version ? { version } : {}),
      ...(purpose ? { purpose } : {}),
      purls: readPurls3(record),
      location: `/@graph/${index}`,
    });
  }
  return { packages, describes };
}
