import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInventoryFormat, parseInventoryFile } from './detect.js';
import { InventoryParseError } from './errors.js';

describe('detectInventoryFormat', () => {
  it('picks the format by content and name', () => {
    expect(detectInventoryFormat('bom.json', '{"bomFormat": "CycloneDX", "specVersion": "1.5"}').id).toBe(
      'cyclonedx',
    );
    expect(
      detectInventoryFormat('/var/lib/dpkg/status', 'Package: adduser\nStatus: install ok installed\n').id,
    ).toBe('dpkg-status');
    expect(detectInventoryFormat('/etc/os-release', 'NAME="Debian GNU/Linux"\nID=debian\n').id).toBe(
      'os-release',
    );
  });

  it('lists the known formats when none claims the file', () => {
    try {
      detectInventoryFormat('notes.txt', 'hello world');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InventoryParseError);
      expect((error as InventoryParseError).message).toContain('notes.txt: not a known inventory format');
      expect((error as InventoryParseError).hint).toContain('cyclonedx');
    }
  });
});

describe('parseInventoryFile', () => {
  it('reads, detects and parses a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchcast-inv-'));
    const path = join(dir, 'installed');
    writeFileSync(path, 'P:musl\nV:1.2.5-r0\no:musl\n\n');
    const result = await parseInventoryFile(path);
    expect(result.format).toBe('apk-installed');
    expect(result.packages[0]).toMatchObject({ name: 'musl', version: '1.2.5-r0' });
  });

  it('names the file it cannot read', async () => {
    await expect(parseInventoryFile('/nonexistent/status')).rejects.toThrow(
      /\/nonexistent\/status: cannot read/,
    );
  });
});
