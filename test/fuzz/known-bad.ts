/** Known-bad inputs shared by the corpus spec (every parser) and the upload-route spec (the HTTP API). */
import { readFileSync } from 'node:fs';

export interface KnownBadCase {
  /** The name the file is sent under (parsers name it in their errors). */
  name: string;
  content: () => Buffer;
}

const CORPUS = new URL('./corpus/', import.meta.url);
const corpus = (name: string) => readFileSync(new URL(name, CORPUS));
/** How deep the generated nesting goes. */
export const DEEP = 100_000;

/**
 * The known-bad inputs small enough to send through every parser and every upload route: the files in
 * `corpus/` and generated ones (deep nesting, XXE naming `secret`, a file that must never be read).
 */
export function makeKnownBadCases(secret: string): KnownBadCase[] {
  return [
    { name: 'billion-laughs.xml', content: () => corpus('billion-laughs.xml') },
    { name: 'yaml-bomb.yaml', content: () => corpus('yaml-bomb.yaml') },
    { name: 'invalid-utf8.txt', content: () => corpus('invalid-utf8.txt') },
    {
      name: 'xxe.xml',
      content: () =>
        Buffer.from(
          `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file://${secret}">]>` +
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>' +
            '<component type="library"><name>&xxe;</name><version>1</version><purl>pkg:npm/x@1</purl></component>' +
            '</components><project><dependencies><dependency><groupId>&xxe;</groupId><artifactId>a</artifactId>' +
            '<version>1</version></dependency></dependencies></project></bom>',
        ),
    },
    { name: 'deep-arrays.json', content: () => Buffer.from('['.repeat(DEEP) + ']'.repeat(DEEP)) },
    { name: 'deep-objects.json', content: () => Buffer.from('{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP)) },
    {
      name: 'deep-components.json',
      content: () =>
        Buffer.from(
          '{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[],"components":[' +
            '{"name":"a","version":"1","components":['.repeat(DEEP) +
            ']}'.repeat(DEEP) +
            ']}',
        ),
    },
    {
      // Ids and statuses that are 20,000-deep arrays: turned into text, they overflowed the stack (VEX).
      name: 'deep-ids.json',
      content: () =>
        Buffer.from(
          '{"document":{"category":"csaf_vex"},"vulnerabilities":[{"cve":"CVE-2024-1","product_status":{"fixed":[' +
            '['.repeat(20_000) +
            ']'.repeat(20_000) +
            ']}}],"@context":"https://openvex.dev/ns","statements":[{"vulnerability":"CVE-1","status":' +
            '['.repeat(20_000) +
            ']'.repeat(20_000) +
            '}]}',
        ),
    },
    {
      name: 'deep.xml',
      content: () => Buffer.from('<?xml version="1.0"?>' + '<a>'.repeat(DEEP) + '</a>'.repeat(DEEP)),
    },
    { name: 'deep-flow.yaml', content: () => Buffer.from('packages: ' + '['.repeat(DEEP)) },
    {
      name: 'deep-block.yaml',
      content: () => Buffer.from(Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')),
    },
    { name: 'deep-dashes.yaml', content: () => Buffer.from('- '.repeat(DEEP)) },
    // A quote YAML reads as a plain character hid the brackets after it from a JSON-style count, and
    // 100,000 nested `[` reached the YAML parser (found by bench/fuzz on pnpm-lock.yaml).
    {
      name: 'quote-hides-brackets.yaml',
      content: () => Buffer.from(`lockfileVersion: '6.0'\npackages: b"c\nk: ${'['.repeat(DEEP)}"\n`),
    },
    // Escapes and control characters no JSON string allows, in every quoting style (go.mod threw SyntaxError).
    {
      name: 'bad-escapes',
      content: () => Buffer.from('module "ex\\q"\nrequire (\n\t"a\u0001b" v1.0.0\n)\nname = "\\x41"\n'),
    },
    // A cut yarn.lock whose last line has quotes inside a name: the classic tokenizer then read a string
    // to the end of memory (found by bench/fuzz, input 27,312 of seed 20261207).
    { name: 'yarn-quote-in-name.lock', content: () => corpus('yarn-quote-in-name.lock') },
    { name: 'empty', content: () => Buffer.alloc(0) },
    { name: 'bom-only', content: () => Buffer.from([0xef, 0xbb, 0xbf]) },
    { name: 'nul-bytes', content: () => Buffer.alloc(4096) },
  ];
}
