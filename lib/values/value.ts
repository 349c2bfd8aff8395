// The canonical JSON shape of a TLA+ value, shared by TLC's printed values, TLC's -dumpTrace json,
// the embedded engine (tla-checker) and the refinement mapping. It is the ITF value encoding
// (Apalache/Quint trace format) plus one extension, {"#model": name}, for TLC model values.

/** A TLA+ value in canonical JSON form. */
export type TlaValue =
  | boolean
  | number
  | string
  | { '#bigint': string }
  | { '#model': string }
  | { '#set': TlaValue[] }
  | { '#map': [TlaValue, TlaValue][] }
  | TlaValue[] // a sequence / tuple: a function whose domain is 1..n (n >= 0)
  | TlaRecord; // a record: a function whose domain is a non-empty set of strings

/** A record: a function from strings to values. */
export interface TlaRecord {
  [field: string]: TlaValue;
}

/** A state: one value per spec variable. */
export type TlaState = Record<string, TlaValue>;
