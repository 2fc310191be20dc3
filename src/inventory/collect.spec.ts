import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithShared, findSharedData } from '../../test/support/shared-data.js';
import { collectInventory } from './collect.js';

const FLEET_DIR = findSharedData('data/fleet');
const SAMPLE = new URL(
  './agent-report/__fixtures__/debian_bookworm-20241202_2024-12-02.json',
  import.meta.url,
);

describe('collectInventory: two files naming one image:tag', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-collect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges them into one asset and warns, naming both files and the asset id', async () => {
    const image = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const first = join(dir, 'debian_2024-12-02.json');
    const second = join(dir, 'debian_2025-01-13.json');
    writeFileSync(first, JSON.stringify(image));
    writeFileSync(second, JSON.stringify({ ...image, as_of: '2025-01-13T00:00:00Z' }));
    const collected = await collectInventory([dir]);
    expect(collected.assets.map((a) => a.assetId)).toEqual([`${image.image}:${image.tag}`]);
    expect(collected.warnings).toEqual([
      `${second} and ${first} both name asset ${image.image}:${image.tag}: their packages were merged into one asset (import one of them alone with --asset ID to keep them apart)`,
    ]);
  });

  it('says nothing when a directory’s lockfiles make up one asset by design', async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'django==1.4.1\n');
    writeFileSync(
      join(dir, 'Gemfile.lock'),
      'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.0.1)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack\n',
    );
    const collected = await collectInventory([dir]);
    expect(collected.assets).toHaveLength(1);
    expect(collected.warnings).toEqual([]);
  });
});

describeWithShared(
  FLEET_DIR,
  'data/fleet',
  'collectInventory on the real fleet (../shared/data/fleet)',
  () => {
    const FLEET = FLEET_DIR ?? '';
    it('says which of its 81 image files name the same image:tag (76 assets)', async () => {
      const files = readdirSync(FLEET).filter((f) => f.endsWith('.json'));
      const collected = await collectInventory([FLEET]);
      expect(files).toHaveLength(81);
      expect(collected.assets).toHaveLength(76);
      const merged = collected.warnings.filter((w) => w.includes('both name asset'));
      expect(merged).toHaveLength(5);
      expect(
        merged.some((w) =>
          /nginx_latest_2017-06-13\.json and .*nginx_latest_2016-09-14\.json both name asset nginx:latest/.test(
            w,
          ),
        ),
      ).toBe(true);
    });
  },
);
