import type { AuthnRequest } from './types.js';

/** The first value of a header, as Go's Header.Get returns it ("" when absent). */
export function headerValue(req: AuthnRequest, name: string): string {
  const value = req.headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? '';
  return value ?? '';
}
