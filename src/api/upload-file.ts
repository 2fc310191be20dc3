/**
 * Upload bodies stream to a private temporary file, counted as they arrive: past `limit` bytes the
 * write stops and the request fails with INPUT_TOO_LARGE (the rest of the body is read and dropped),
 * so an upload never sits whole in memory. The directory is removed when the answer is sent.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PatchcastError } from '../core/errors.js';

export interface UploadedFile {
  /** The private directory holding the file (removed after the answer). */
  dir: string;
  path: string;
  size: number;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && 'path' in value && 'dir' in value;
}

function tooLarge(limit: number): PatchcastError {
  return new PatchcastError('INPUT_TOO_LARGE', `the upload exceeds server.uploadLimit (${limit} bytes)`, {
    hint: 'Split the file, or raise server.uploadLimit in patchcast.yaml.',
    details: { limit },
  });
}

export async function saveUpload(payload: Readable, limit: number, declared?: number): Promise<UploadedFile> {
  if (declared !== undefined && declared > limit) {
    payload.resume();
    throw tooLarge(limit);
  }
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-upload-'));
  const path = join(dir, 'body');
  const out = createWriteStream(path, { mode: 0o600 });
  let size = 0;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    out.destroy();
    payload.resume(); // a write error while paused for drain must not stall the request
  };
  return new Promise((resolve, reject) => {
    const finish = () => {
      if (failure) {
        rmSync(dir, { recursive: true, force: true });
        reject(failure);
      } else out.end(() => resolve({ dir, path, size }));
    };
    payload.on('data', (chunk: Buffer) => {
      if (failure) return; // read and dropped, so the client gets its answer
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      if (!out.write(chunk)) {
        payload.pause();
        out.once('drain', () => payload.resume());
      }
    });
    payload.on('end', finish);
    payload.on('error', (error) => {
      fail(error);
      finish();
    });
    out.on('error', (error) => fail(error));
  });
}

export function removeUpload(file: unknown): void {
  if (isUploadedFile(file)) rmSync(file.dir, { recursive: true, force: true });
}
