/**
 * A reader for the subset of Elixir term syntax mix.lock is written in: maps (`%{k => v}`, `%{"k": v}`),
 * tuples, lists, keyword lists, strings, atoms, numbers and true/false/nil. It tokenizes and parses
 * only — nothing is evaluated — and bounds nesting so hostile input cannot exhaust the stack.
 */
import { InventoryParseError, MAX_NESTING_DEPTH } from '../errors.js';

/** A parsed term. Keyword-list entries become two-element tuples, as in Elixir. */
export type Term =
  | { kind: 'string'; value: string; line: number }
  | { kind: 'atom'; value: string; line: number }
  | { kind: 'number'; value: string; line: number }
  | { kind: 'tuple'; items: Term[]; line: number }
  | { kind: 'list'; items: Term[]; line: number }
  | { kind: 'map'; entries: [Term, Term][]; line: number };

type TokenKind = 'punct' | 'string' | 'atom' | 'key' | 'number' | 'ident';
interface Token {
  kind: TokenKind;
  value: string;
  line: number;
}

/** Longest string accepted: mix.lock holds names, versions, checksums and URLs, never long text. */
const MAX_STRING = 65_536;
const PUNCT = ['%{', '=>', '{', '}', '[', ']', ','];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '#': '#' };

class Lexer {
  readonly tokens: Token[] = [];
  private i = 0;
  private line = 1;

  constructor(
    private readonly path: string,
    private readonly text: string,
  ) {}

  run(): Token[] {
    while (this.i < this.text.length) this.next();
    return this.tokens;
  }

  private fail(problem: string): never {
    throw new InventoryParseError(this.path, `line ${this.line}`, problem);
  }

  private next(): void {
    const c = this.text[this.i] as string;
    const punct = PUNCT.find((p) => this.text.startsWith(p, this.i));
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (c === '\n') this.line++;
      this.i++;
    } else if (c === '#') this.skipComment();
    else if (punct) this.push('punct', punct, punct.length);
    else if (c === '"') this.readString('string');
    else if (c === ':' && this.text[this.i + 1] === '"') {
      this.i++;
      this.readString('atom');
    } else this.readWord(c);
  }

  private skipComment(): void {
    const end = this.text.indexOf('\n', this.i);
    this.i = end === -1 ? this.text.length : end;
  }

  private push(kind: TokenKind, value: string, length: number): void {
    this.tokens.push({ kind, value, line: this.line });
    this.i += length;
  }

  private readWord(c: string): void {
    const word = /^:?[A-Za-z_0-9.@?!+-]+:?/.exec(this.text.slice(this.i, this.i + 1100))?.[0];
    if (!word) this.fail(`unexpected character ${JSON.stringify(c)}`);
    if (word.length > 1024) this.fail('name longer than 1024 characters');
    if (word.startsWith(':') && word.length > 1)
      this.push('atom', word.slice(1).replace(/:$/, ''), word.length);
    else if (word.endsWith(':') && word.length > 1) this.push('key', word.slice(0, -1), word.length);
    else this.push(/^[+-]?\d/.test(word) ? 'number' : 'ident', word, word.length);
  }

  private readString(kind: 'string' | 'atom'): void {
    const startLine = this.line;
    let value = '';
    let j = this.i + 1;
    for (; j < this.text.length && this.text[j] !== '"'; j++) {
      if (value.length > MAX_STRING) this.fail(`string longer than ${MAX_STRING} characters`);
      let ch = this.text[j] as string;
      if (ch === '\n') this.line++;
      if (ch === '\\') ch = ESCAPES[this.text[++j] ?? ''] ?? (this.text[j] as string);
      value += ch;
    }
    if (j >= this.text.length)
      throw new InventoryParseError(this.path, `line ${startLine}`, 'unterminated string');
    this.i = j + 1;
    // `"name": value` is a keyword key written as a string (how mix.lock names its entries).
    const isKey = kind === 'string' && this.text[this.i] === ':' && /[\s]/.test(this.text[this.i + 1] ?? '');
    if (isKey) this.i++;
    this.tokens.push({ kind: isKey ? 'key' : kind, value, line: startLine });
  }
}

class Parser {
  private at = 0;

  constructor(
    private readonly path: string,
    private readonly tokens: Token[],
  ) {}

  parseDocument(): Term {
    const term = this.parseTerm(0);
    const extra = this.tokens[this.at];
    if (extra) this.fail(extra, `unexpected ${JSON.stringify(extra.value)} after the end of the term`);
    return term;
  }

  private fail(token: Token | undefined, problem: string): never {
    const line = token?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
    throw new InventoryParseError(this.path, `line ${line}`, problem);
  }

  private take(): Token {
    const token = this.tokens[this.at++];
    return token ?? this.fail(undefined, 'unexpected end of file (truncated?)');
  }

  private parseTerm(depth: number): Term {
    if (depth > MAX_NESTING_DEPTH)
      this.fail(this.tokens[this.at], `nesting deeper than ${MAX_NESTING_DEPTH} levels`);
    const token = this.take();
    const { line } = token;
    if (token.kind === 'string' || token.kind === 'atom' || token.kind === 'number') {
      return { kind: token.kind, value: token.value, line };
    }
    if (token.kind === 'ident') return { kind: 'atom', value: token.value, line };
    if (token.value === '{') return { kind: 'tuple', items: this.parseItems('}', depth), line };
    if (token.value === '[') return { kind: 'list', items: this.parseItems(']', depth), line };
    if (token.value === '%{') return { kind: 'map', entries: this.parseEntries(depth), line };
    return this.fail(token, `unexpected ${JSON.stringify(token.value)}`);
  }

  /** Items up to `close`; keyword entries (`key: value`) become `{:key, value}` tuples. */
  private parseItems(close: string, depth: number): Term[] {
    const items: Term[] = [];
    while (!this.isNext(close)) {
      const key = this.tokens[this.at];
      if (key?.kind === 'key') {
        this.at++;
        const atom: Term = { kind: 'atom', value: key.value, line: key.line };
        items.push({ kind: 'tuple', items: [atom, this.parseTerm(depth + 1)], line: key.line });
      } else items.push(this.parseTerm(depth + 1));
      if (!this.isNext(close)) this.expect(',');
    }
    this.take();
    return items;
  }

  private parseEntries(depth: number): [Term, Term][] {
    const entries: [Term, Term][] = [];
    while (!this.isNext('}')) {
      const key = this.tokens[this.at];
      let keyTerm: Term;
      if (key?.kind === 'key') {
        this.at++;
        keyTerm = { kind: 'string', value: key.value, line: key.line };
      } else {
        keyTerm = this.parseTerm(depth + 1);
        this.expect('=>');
      }
      entries.push([keyTerm, this.parseTerm(depth + 1)]);
      if (!this.isNext('}')) this.expect(',');
    }
    this.take();
    return entries;
  }

  private isNext(value: string): boolean {
    const token = this.tokens[this.at];
    if (!token) this.fail(undefined, 'unexpected end of file (truncated?)');
    return token.kind === 'punct' && token.value === value;
  }

  private expect(value: string): void {
    const token = this.take();
    if (token.kind !== 'punct' || token.value !== value) {
      this.fail(token, `expected "${value}" but found ${JSON.stringify(token.value.slice(0, 40))}`);
    }
  }
}

/** Parses one Elixir term from text; errors name the file and line. */
export function parseElixirTerm(path: string, text: string): Term {
  const tokens = new Lexer(path, text).run();
  if (tokens.length === 0) throw new InventoryParseError(path, 'line 1', 'empty file');
  return new Parser(path, tokens).parseDocument();
}
