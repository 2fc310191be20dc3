/**
 * Tokenizer for Alpine versions, `digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}`, following the
 * grammar of apk-tools 3 (src/version.c), plus the readings apk-tools 2 gave to strings apk-tools 3
 * calls invalid (see readme.md). The numeric token kinds are ordered: the tokenizer uses the order to
 * decide which token may follow which, and the comparison uses it to decide which version is newer
 * when the token kinds differ (a smaller kind means "has more", so newer).
 */

export const TOKEN_INITIAL_DIGIT = 0;
export const TOKEN_DIGIT = 1;
export const TOKEN_LETTER = 2;
/** apk-tools 2 reading: a number right after the letter (`6.0.2p1`). */
export const TOKEN_LETTER_NO = 3;
export const TOKEN_SUFFIX = 4;
export const TOKEN_SUFFIX_NO = 5;
export const TOKEN_COMMIT_HASH = 6;
export const TOKEN_REVISION_NO = 7;
export const TOKEN_END = 8;
/** A `.` without digits (`0..8`): apk-tools 3 stops there, apk-tools 2 reads on. Sorts below END. */
export const TOKEN_EMPTY = 9;
/** The unparseable rest. Its text is the whole string when the version has no leading number. */
export const TOKEN_INVALID = 10;

/** Suffix ranks: pre-release suffixes below `SUFFIX_NONE`, post-release ones above. */
export const SUFFIX_NONE = 5;
const SUFFIX_RANK: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};

/** A version as parallel arrays of tokens; the last kind is always `TOKEN_END` or `TOKEN_INVALID`. */
export interface ApkTokens {
  readonly kinds: number[];
  /** The token's text: its digits, its letter, its suffix word or its hash. */
  readonly texts: string[];
  /** The suffix rank for `TOKEN_SUFFIX`, otherwise 0. */
  readonly ranks: number[];
  /** Whether apk-tools 3 accepts the whole string (apk_version_validate). */
  valid: boolean;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}

/** Kinds that end the numeric part, after which a letter or a `.` may still come. */
function isNumeric(kind: number): boolean {
  return kind <= TOKEN_DIGIT || kind === TOKEN_LETTER_NO || kind === TOKEN_EMPTY;
}

/** Whether the current `kind` allows a token that may only come after kinds up to `last`. */
function allowsAfter(kind: number, last: number): boolean {
  return kind <= last || kind === TOKEN_EMPTY;
}

function spanWhile(s: string, i: number, accept: (c: number) => boolean): number {
  let j = i;
  while (j < s.length && accept(s.charCodeAt(j))) j++;
  return j;
}

class Tokenizer {
  readonly out: ApkTokens = { kinds: [], texts: [], ranks: [], valid: true };
  private pos = 0;
  private kind = TOKEN_INITIAL_DIGIT;

  constructor(private readonly s: string) {}

  run(): ApkTokens {
    const end = spanWhile(this.s, 0, isDigit);
    if (end === 0) {
      this.invalid(this.s);
      return this.out;
    }
    this.push(TOKEN_INITIAL_DIGIT, this.s.slice(0, end), 0);
    this.pos = end;
    while (this.kind !== TOKEN_END && this.kind !== TOKEN_INVALID) this.next();
    return this.out;
  }

  private push(kind: number, text: string, rank: number): void {
    this.kind = kind;
    this.out.kinds.push(kind);
    this.out.texts.push(text);
    this.out.ranks.push(rank);
  }

  /** A reading apk-tools 3 refuses: the version stays comparable but is no longer valid. */
  private lenient(kind: number, text: string): void {
    this.out.valid = false;
    this.push(kind, text, 0);
  }

  private invalid(text = ''): void {
    this.out.valid = false;
    this.push(TOKEN_INVALID, text, 0);
  }

  /** Read the token after the current one; its allowed kinds depend on the current kind. */
  private next(): void {
    if (this.pos >= this.s.length) this.push(TOKEN_END, '', 0);
    else if (!this.readToken(this.s.charCodeAt(this.pos))) this.invalid();
  }

  private readToken(c: number): boolean {
    if (isLower(c)) return this.letter();
    if (c === 46) return this.dotted(); // '.'
    if (isDigit(c)) return this.trailingNumber();
    if (c === 95) return this.suffix(); // '_'
    if (c === 126) return this.hash(); // '~'
    if (c === 45) return this.revision(); // '-'
    return false;
  }

  /** A run of digits at `pos`, possibly empty. */
  private takeDigits(): string {
    const end = spanWhile(this.s, this.pos, isDigit);
    const text = this.s.slice(this.pos, end);
    this.pos = end;
    return text;
  }

  /** A single letter, right after the numbers. */
  private letter(): boolean {
    if (!isNumeric(this.kind)) return false;
    this.push(TOKEN_LETTER, this.s[this.pos] as string, 0);
    this.pos++;
    return true;
  }

  /** `.digits`; a `.` without digits is read on as apk-tools 2 does, as an empty component. */
  private dotted(): boolean {
    if (!isNumeric(this.kind)) return false;
    this.pos++;
    const text = this.takeDigits();
    if (text === '') this.lenient(TOKEN_EMPTY, '');
    else this.push(TOKEN_DIGIT, text, 0);
    return true;
  }

  /** Digits glued to a suffix (`_rc1`), or, as apk-tools 2 read them, to the letter (`2p1`). */
  private trailingNumber(): boolean {
    if (this.kind === TOKEN_SUFFIX) this.push(TOKEN_SUFFIX_NO, this.takeDigits(), 0);
    else if (this.kind === TOKEN_LETTER) this.lenient(TOKEN_LETTER_NO, this.takeDigits());
    else return false;
    return true;
  }

  /** `_word`, where the word must be one of apk's known suffixes. */
  private suffix(): boolean {
    if (!allowsAfter(this.kind, TOKEN_SUFFIX_NO)) return false;
    const end = spanWhile(this.s, this.pos + 1, isLower);
    const word = this.s.slice(this.pos + 1, end);
    const rank = SUFFIX_RANK[word];
    if (rank === undefined) return false;
    this.push(TOKEN_SUFFIX, word, rank);
    this.pos = end;
    return true;
  }

  /** `~` and lower-case hex digits: the commit the package was built from. */
  private hash(): boolean {
    if (!allowsAfter(this.kind, TOKEN_SUFFIX_NO)) return false;
    const end = spanWhile(this.s, this.pos + 1, isHex);
    if (end === this.pos + 1) return false;
    this.push(TOKEN_COMMIT_HASH, this.s.slice(this.pos + 1, end), 0);
    this.pos = end;
    return true;
  }

  /**
   * `-r` and digits. apk-tools 2 reads a missing number as 0 (`1-r` = `1-r0`); `-r` followed by a
   * letter is a word (`1.0-rc1`), not a revision.
   */
  private revision(): boolean {
    if (!allowsAfter(this.kind, TOKEN_COMMIT_HASH) || this.s.charCodeAt(this.pos + 1) !== 114) return false; // 'r'
    if (isLower(this.s.charCodeAt(this.pos + 2))) return false;
    this.pos += 2;
    const text = this.takeDigits();
    if (text === '') this.lenient(TOKEN_REVISION_NO, '0');
    else this.push(TOKEN_REVISION_NO, text, 0);
    return true;
  }
}

/** Split `version` into apk tokens. Never throws: an unparseable tail ends in `TOKEN_INVALID`. */
export function tokenizeApkVersion(version: string): ApkTokens {
  return new Tokenizer(version).run();
}
