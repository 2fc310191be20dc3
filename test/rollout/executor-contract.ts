import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/rollout/contract.js';

/** Arguments that a shell would split, expand or execute; each must arrive as exactly these bytes. */
export const HOSTILE_ARGS: readonly string[] = [
  "it's",
  "'",
  "''",
  'two words',
  '  leading and trailing  ',
  '$(touch /tmp/PWNED)',
  '`touch /tmp/PWNED`',
  ['$', '{HOME}'].join(''),
  '$HOME',
  'new\nline',
  'tab\tand\r',
  '"double"',
  'back\\slash\\',
  '*',
  '?',
  '~',
  ';echo injected',
  '&& echo injected',
  '| cat',
  '> /tmp/PWNED',
  '-n',
  '--',
  '',
  'ü € 字 🙂',
  '!event',
  '#comment',
];

/**
 * The behaviour every executor that really runs commands must share (local, local inside a test host,
 * SSH): the rollout steps rely on exactly these answers. `makeExecutor` is called once, after the
 * caller's own set-up.
 */
export function describeExecutorContract(
  name: string,
  makeExecutor: () => Executor | Promise<Executor>,
): void {
  describe(`executor contract: ${name}`, () => {
    let executor: Executor;
    beforeAll(async () => {
      executor = await makeExecutor();
    });
    afterAll(async () => {
      await executor?.close();
    });

    it('returns the exit code and keeps stdout apart from stderr', async () => {
      expect(await executor.run(['true'])).toEqual({ code: 0, stdout: '', stderr: '' });
      const result = await executor.run(['sh', '-c', 'printf out; printf err >&2; exit 3']);
      expect(result).toEqual({ code: 3, stdout: 'out', stderr: 'err' });
    });

    it('feeds input to standard input, and gives a command that reads none an empty input', async () => {
      const text = 'first line\nsecond: ü\n\nlast without newline';
      expect((await executor.run(['cat'], { input: text })).stdout).toBe(text);
      expect(await executor.run(['cat'])).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('passes every argument byte-exact, through no shell of its own', async () => {
      const marker = `/tmp/pc-contract-${randomUUID()}`;
      const args = [...HOSTILE_ARGS, `$(touch ${marker})`, `\`touch ${marker}\``, `;touch ${marker}`];
      const result = await executor.run(['printf', '%s\\n', ...args]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(args.map((arg) => `${arg}\n`).join(''));
      expect(await executor.readFile(marker)).toBeUndefined();
    });

    it('gives a minimal environment (LANG=C, DEBIAN_FRONTEND) plus the extra variables asked for', async () => {
      process.env.PATCHCAST_CONTRACT_LEAK = 'leaked';
      const script =
        'printf "%s|%s|%s|%s" "$LANG" "$DEBIAN_FRONTEND" "$PC_EXTRA" "$' + '{PATCHCAST_CONTRACT_LEAK-unset}"';
      const result = await executor.run(['sh', '-c', script], { env: { PC_EXTRA: 'a b $c' } });
      delete process.env.PATCHCAST_CONTRACT_LEAK;
      expect(result.stdout).toBe('C|noninteractive|a b $c|unset');
    });

    it('kills a command at its timeout and answers 124', async () => {
      const result = await executor.run(['sleep', '30'], { timeoutMs: 300 });
      expect(result.code).toBe(124);
    });

    it('at a timeout also kills what the command started', async () => {
      const result = await executor.run(['sh', '-c', 'sleep 60 & echo $!; wait'], { timeoutMs: 300 });
      expect(result.code).toBe(124);
      const pid = result.stdout.trim();
      expect(pid).toMatch(/^\d+$/);
      // A zombie waiting for its reaper counts as gone: it runs nothing.
      const probe =
        'if [ -e "/proc/$1" ] && ! grep -q "^State:.*Z" "/proc/$1/status"; then echo alive; else echo gone; fi';
      for (let attempt = 0; attempt < 50; attempt++) {
        const state = await executor.run(['sh', '-c', probe, 'sh', pid]);
        if (state.stdout === 'gone\n') break;
        await sleep(100);
      }
      expect((await executor.run(['sh', '-c', probe, 'sh', pid])).stdout).toBe('gone\n');
    });

    it('answers 127 for a program that does not exist', async () => {
      const result = await executor.run(['pc-no-such-program-anywhere', 'arg']);
      expect(result.code).toBe(127);
    });

    it('reads a file that exists, and undefined for one that does not', async () => {
      const path = `/tmp/pc-contract-${randomUUID()} with space`;
      const text = "line one\n'quoted' $(not run)\n";
      expect((await executor.run(['sh', '-c', 'printf "%s" "$1" > "$2"', 'sh', text, path])).code).toBe(0);
      expect(await executor.readFile(path)).toBe(text);
      await executor.run(['rm', '-f', '--', path]);
      expect(await executor.readFile(path)).toBeUndefined();
      expect(await executor.readFile('/nonexistent-dir-pc/file')).toBeUndefined();
    });

    it('runs several commands at once and in a row', async () => {
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => executor.run(['echo', String(n)])));
      expect(results.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n', '4\n', '5\n']);
      for (const n of [6, 7]) expect((await executor.run(['echo', String(n)])).stdout).toBe(`${n}\n`);
    });
  });
}
