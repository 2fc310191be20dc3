/**
 * Hex (Elixir/Erlang): Elixir's `Version`. Strict SemVer 2.0.0 (three numbers, no leading zeros),
 * build metadata ignored for precedence. See readme.md.
 */
import { makeSemverFamilyScheme } from '../semver/family.js';

export const hexScheme = makeSemverFamilyScheme({ id: 'hex', ecosystems: ['Hex'], grammar: 'strict' });
