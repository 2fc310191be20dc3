/**
 * The signed-in session: the API token lives in sessionStorage (gone when the tab closes, never in
 * a cookie, so no request carries it unless the app adds it). Components subscribe with `useToken`.
 */
import { useSyncExternalStore } from 'react';

const KEY = 'patchcast.token';
const listeners = new Set<() => void>();

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(token: string): void {
  sessionStorage.setItem(KEY, token);
  for (const l of listeners) l();
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToken(): string | null {
  return useSyncExternalStore(subscribe, getToken);
}
