/** Text helpers shared by the history builder and the feature encoders. */

const MAX_TOKENS = 200;

/** Lower-case word tokens of a description (letters/digits runs, length ≥ 2), at most 200. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[a-z0-9]+/g)) {
    const token = match[0];
    if (token.length < 2) continue;
    out.push(token);
    if (out.length >= MAX_TOKENS) break;
  }
  return out;
}

/** A vendor or product name normalised for matching across CPE, CNA and KEV spellings. */
export function normalizeName(name: string | null | undefined): string {
  if (!name) return '';
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/project$/, '');
}

/** A string table: each distinct string gets a stable small integer. */
export interface Interner {
  readonly strings: string[];
  intern(value: string): number;
  lookup(value: string): number | undefined;
}

/** Makes an empty interner. */
export function makeInterner(): Interner {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  return {
    strings,
    intern(value) {
      let id = ids.get(value);
      if (id === undefined) {
        id = strings.length;
        strings.push(value);
        ids.set(value, id);
      }
      return id;
    },
    lookup: (value) => ids.get(value),
  };
}
