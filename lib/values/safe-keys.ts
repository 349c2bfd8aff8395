// Names that must never become keys of a plain object: `__proto__` sets the prototype instead of
// a field, `constructor`, `toString` and the rest of Object.prototype answer `in` checks for names
// that are not there. Read from hostile input (a trace's variables, record fields, parameters).

/** Object.prototype's own names, plus `prototype`: refused as variable, field or parameter names. */
export const UNSAFE_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Whether `name` would clash with Object.prototype when used as a plain object's key. */
export function isUnsafeName(name: string): boolean {
  return UNSAFE_NAMES.has(name);
}
