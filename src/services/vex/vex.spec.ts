import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pypiAdvisory } from '../../../test/support/advisories.js';
import { makeServiceDeps, SERVICE_NOW } from '../../../test/support/service-deps.js';
import { addPypiHost, countRows, makeTempStore } from '../../../test/support/store.js';
import {
  listAuditEvents,
  listEventsAfter,
  listFindings,
  type Store,
  upsertVulnerabilities,
} from '../../store/index.js';
import { updateFindings } from '../pipeline/update-findings.js';
import { importVex } from './import-vex.js';
import { listVex } from './list-vex.js';

/** OpenVEX: django's advisory does not affect web-01. */
const OPENVEX = JSON.stringify({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/1',
  author: 'ops',
  timestamp: '2026-01-09T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'TEST-DJANGO-1' },
      products: [{ '@id': 'web-01' }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
});

describe('VEX services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await addPypiHost(store, 'web-01', [['django', '1.4.0']], '2026-01-09T00:00:00.000Z');
    await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-DJANGO-1', 'django', '1.4.3')]);
    const deps = makeServiceDeps(store, 'operator');
    await updateFindings(store, { now: SERVICE_NOW, config: deps.config });
  });
  afterEach(() => cleanup());

  it('forbids a viewer to import, storing nothing, and lets it list', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    const documents = [{ source: 'web.openvex.json', text: OPENVEX }];
    await expect(importVex(viewer, { documents })).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(await countRows(store, ['vex_statements', 'audit_events'])).toEqual({
      vex_statements: 0,
      audit_events: 0,
    });
    expect(await listVex(viewer)).toEqual([]);
  });

  it('imports for an operator: the finding is suppressed and the import audited with the actor', async () => {
    const operator = makeServiceDeps(store, 'operator');
    const result = await importVex(operator, { documents: [{ source: 'web.openvex.json', text: OPENVEX }] });
    expect(result).toMatchObject({ statements: 1, suppressed: 1, reopened: 0 });
    const [finding] = await listFindings(store.db, { assetId: 'web-01', status: ['suppressed'] });
    expect(finding?.suppression).toMatchObject({
      kind: 'vex',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    const events = await listAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action, e.subject, e.data])).toEqual([
      [
        'token:operator',
        'vex:import',
        'web.openvex.json',
        { documents: ['web.openvex.json'], statements: 1 },
      ],
    ]);
    expect((await listEventsAfter(store.db, 0, 10)).map((e) => [e.kind, e.data])).toEqual([
      ['finding:changed', { vex: ['web.openvex.json'] }],
    ]);
  });

  it('stores nothing when one of the documents is not VEX', async () => {
    const operator = makeServiceDeps(store, 'operator');
    const documents = [
      { source: 'web.openvex.json', text: OPENVEX },
      { source: 'broken.json', text: '{"statements": 3' },
    ];
    await expect(importVex(operator, { documents })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(await countRows(store, ['vex_statements', 'audit_events'])).toEqual({
      vex_statements: 0,
      audit_events: 0,
    });
  });
});
