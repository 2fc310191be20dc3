import { readFileSync, writeFileSync } from 'node:fs';
import { replaceCliReference } from '../src/cli/reference.js';

// Rewrites the CLI reference block of README.md from the commands' own --help.
const file = new URL('../README.md', import.meta.url);
writeFileSync(file, await replaceCliReference(readFileSync(file, 'utf8')));
console.log('README.md CLI reference updated');
