/**
 * A reader for go.mod syntax (golang.org/ref/mod#go-mod-file-grammar): directives, `( … )` blocks,
 * quoted and raw strings, `//` comments (kept, since `// indirect` is meaningful).
 */
import { InventoryParseError } from '../errors.js';

/** One directive line (inside a block or not), tokenised. */
export interface GoModLine {
  verb: string;
  args: string[];
  comment: string;
  line: number;
}

const VERBS = new Set([
  'module',
  'go',
  'toolchain',
  'godebug',
  'require',
  'exclude',
  'replace',
  'retract',
  'tool',
  'ignore',
]);

// Sticky patterns read at a position without copying the rest of the line (linear on long lines).
const QUOTED = /"((?:[^"\\\n]|\\.)*)"/y;
const RAW = /`([^`]*)`/y;
const WORD = /[^\s"`]+/y;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** A double-quoted Go string's value. Its escapes are JSON's in practice; any other (`\q`, `\x41`, a raw control character) is refused. */
function unquote(path: string, quoted: string, line: number): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    const shown = quoted.length > 80 ? `${quoted.slice(0, 80)}…` : quoted;
    throw new InventoryParseError(path, `line ${line}`, `invalid quoted string ${JSON.stringify(shown)}`);
  }
}

/** Splits a line into tokens and its trailing comment; quotes keep spaces and `//` inside. */
function tokenize(path: string, text: string, line: number): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (text.startsWith('//', i)) return { tokens, comment: text.slice(i + 2).trim() };
    else if (c === '"' || c === '`') {
      const quoted = matchAt(c === '"' ? QUOTED : RAW, text, i);
      if (!quoted) throw new InventoryParseError(path, `line ${line}`, 'unterminated string');
      tokens.push(c === '"' ? unquote(path, quoted[0], line) : (quoted[1] ?? ''));
      i += quoted[0].length;
    } else {
      const word = matchAt(WORD, text, i)?.[0] ?? c;
      // `//` may start right after a token.
      const cut = word.indexOf('//');
      tokens.push(cut === -1 ? word : word.slice(0, cut));
      i += cut === -1 ? word.length : Math.max(cut, 1);
    }
  }
  return { tokens: tokens.filter((t) => t !== ''), comment: '' };
}

/** Parses go.mod text into directive lines; refuses unknown verbs and unclosed blocks. */
export function parseGoMod(path: string, text: string): GoModLine[] {
  const out: GoModLine[] = [];
  let block: { verb: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const { tokens, comment } = tokenize(path, raw, line);
    if (tokens.length === 0) return;
    if (block) {
      if (tokens[0] === ')' && tokens.length === 1) block = undefined;
      else out.push({ verb: block.verb, args: tokens, comment, line });
      return;
    }
    const [verb = '', ...args] = tokens;
    if (!VERBS.has(verb)) {
      throw new InventoryParseError(
        path,
        `line ${line}`,
        `unknown directive ${JSON.stringify(verb.slice(0, 40))}`,
        'Is this a go.mod file?',
      );
    }
    if (args.length === 1 && args[0] === '(') block = { verb, line };
    else out.push({ verb, args, comment, line });
  });
  if (block)
    throw new InventoryParseError(
      path,
      `line ${block.line}`,
      `${block.verb} block is never closed (truncated file?)`,
    );
  return out;
}
