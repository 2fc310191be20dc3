/**
 * `ComparableVersion.parseVersion`: splits a version on `.`, `-` and digit/letter transitions into
 * nested item lists, then trims "null" items (zeros, empty and release qualifiers before a qualifier).
 */
import {
  type Item,
  isDigitCode,
  isNullItem,
  type ListItem,
  makeCombination,
  makeNumber,
  makeString,
} from './items.js';

const DOT = 46;
const DASH = 45;
const ZERO: Item = { type: 'num', value: 0 };

function parseItem(isCombination: boolean, isDigit: boolean, text: string): Item {
  if (isCombination) return makeCombination(text);
  return isDigit ? makeNumber(text) : makeString(text, false);
}

/** `ListItem.normalize`: drop null items that end a list or precede a qualifier. */
function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isNullItem(items[i]!)) continue;
    const next = items[i + 1];
    if (next === undefined || next.type === 'str') {
      items.splice(i, 1);
    } else if (next.type === 'list') {
      const first = next.items[0];
      if (first !== undefined && (first.type === 'combo' || first.type === 'str')) items.splice(i, 1);
    }
  }
  const only = items[0];
  if (items.length === 1 && only !== undefined && only.type === 'list') {
    items.splice(0, 1, ...only.items);
  }
}

interface ParseState {
  list: ListItem;
  readonly stack: ListItem[];
}

function openList(state: ParseState): void {
  const child: ListItem = { type: 'list', items: [] };
  state.list.items.push(child);
  state.list = child;
  state.stack.push(child);
}

/** Parses a version into Maven's item tree (the root list). */
export function parseMaven(version: string): ListItem {
  const root: ListItem = { type: 'list', items: [] };
  const state: ParseState = { list: root, stack: [root] };
  const text = version.toLowerCase();
  let isDigit = false;
  let isCombination = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      state.list.items.push(i === start ? ZERO : parseItem(isCombination, isDigit, text.slice(start, i)));
      isCombination = false;
      start = i + 1;
    } else if (c === DASH) {
      if (i === start) {
        state.list.items.push(ZERO);
      } else {
        // "X-1" reads as "X1": a qualifier joined to the number after the dash
        if (!isDigit && i !== text.length - 1 && isDigitCode(text.charCodeAt(i + 1))) {
          isCombination = true;
          continue;
        }
        state.list.items.push(parseItem(isCombination, isDigit, text.slice(start, i)));
      }
      start = i + 1;
      if (state.list.items.length > 0) openList(state);
      isCombination = false;
    } else if (isDigitCode(c)) {
      if (!isDigit && i > start) {
        isCombination = true;
        if (state.list.items.length > 0) openList(state);
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        state.list.items.push(parseItem(isCombination, true, text.slice(start, i)));
        start = i;
        openList(state);
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    // "1.0.0.X1" < "1.0.0-X2": a trailing qualifier after a dot is treated like one after a dash
    if (!isDigit && state.list.items.length > 0) openList(state);
    state.list.items.push(parseItem(isCombination, isDigit, text.slice(start)));
  }
  for (let i = state.stack.length - 1; i >= 0; i--) normalize(state.stack[i]!);
  return root;
}
