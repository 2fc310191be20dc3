import { getTokens, type History } from '../history/index.js';

/**
 * A small fixed vocabulary of description phrases that security analysts read as "exploitable in
 * practice" (or the opposite, e.g. WordPress plugins). Matched as token sequences.
 */
export const PHRASES: ReadonlyArray<readonly [name: string, words: string]> = [
  ['rce', 'remote code execution'],
  ['arbitrary_code', 'arbitrary code'],
  ['arbitrary_commands', 'arbitrary commands'],
  ['command_injection', 'command injection'],
  ['os_command', 'os command'],
  ['code_injection', 'code injection'],
  ['auth_bypass', 'authentication bypass'],
  ['bypass_auth', 'bypass authentication'],
  ['unauthenticated', 'unauthenticated'],
  ['remote_attackers', 'remote attackers'],
  ['remote_attacker', 'remote attacker'],
  ['sql_injection', 'sql injection'],
  ['deserialization', 'deserialization'],
  ['path_traversal', 'path traversal'],
  ['directory_traversal', 'directory traversal'],
  ['file_upload', 'file upload'],
  ['ssrf', 'server side request forgery'],
  ['xxe', 'xml external entity'],
  ['template_injection', 'template injection'],
  ['privilege_escalation', 'privilege escalation'],
  ['elevation_of_privilege', 'elevation of privilege'],
  ['buffer_overflow', 'buffer overflow'],
  ['use_after_free', 'use after free'],
  ['out_of_bounds', 'out of bounds'],
  ['type_confusion', 'type confusion'],
  ['memory_corruption', 'memory corruption'],
  ['xss', 'cross site scripting'],
  ['csrf', 'cross site request forgery'],
  ['denial_of_service', 'denial of service'],
  ['information_disclosure', 'information disclosure'],
  ['hard_coded', 'hard coded'],
  ['default_credentials', 'default credentials'],
  ['crafted_request', 'crafted request'],
  ['http_request', 'http request'],
  ['management_interface', 'management interface'],
  ['web_interface', 'web interface'],
  ['vpn', 'vpn'],
  ['firewall', 'firewall'],
  ['router', 'router'],
  ['gateway', 'gateway'],
  ['kernel', 'kernel'],
  ['windows', 'windows'],
  ['chrome', 'chrome'],
  ['wordpress_plugin', 'wordpress plugin'],
  ['local_users', 'local users'],
  ['physical', 'physical'],
];

const cache = new WeakMap<History, Uint32Array>();

/** Per-CVE bit masks of matched phrases (two 32-bit words per CVE), computed once per history. */
export function getPhraseMasks(history: History): Uint32Array {
  const cached = cache.get(history);
  if (cached) return cached;
  const sequences = PHRASES.map(([, words]) => words.split(' ').map((w) => history.strings.indexOf(w)));
  const byFirst = new Map<number, number[]>();
  for (const [p, seq] of sequences.entries()) {
    if (seq.some((id) => id < 0)) continue;
    const first = seq[0] ?? -1;
    byFirst.set(first, [...(byFirst.get(first) ?? []), p]);
  }
  const masks = new Uint32Array(history.ids.length * 2);
  for (let cve = 0; cve < history.ids.length; cve++) {
    const tokens = getTokens(history, cve);
    for (let t = 0; t < tokens.length; t++) {
      for (const p of byFirst.get(tokens[t] ?? -1) ?? []) {
        if (matchesAt(tokens, t, sequences[p] ?? [])) {
          const word = cve * 2 + (p >> 5);
          masks[word] = (masks[word] ?? 0) | (1 << (p & 31));
        }
      }
    }
  }
  cache.set(history, masks);
  return masks;
}

function matchesAt(tokens: Uint32Array, start: number, sequence: readonly number[]): boolean {
  for (let k = 1; k < sequence.length; k++) if (tokens[start + k] !== sequence[k]) return false;
  return true;
}

/** Whether phrase `p` matched for CVE `cve`. */
export function hasPhrase(masks: Uint32Array, cve: number, p: number): boolean {
  return ((masks[cve * 2 + (p >> 5)] ?? 0) & (1 << (p & 31))) !== 0;
}
