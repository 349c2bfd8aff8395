// A seeded pseudo-random generator for reproducible random schedules; stands for lib/random32.c
// (prandom_u32_state), here the small-state sfc32 generator. Never Math.random.

/** A deterministic PRNG: the same seed gives the same sequence. */
export class Prandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** The next 32-bit unsigned value. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A value in 0 .. n-1 (n >= 1). */
  below(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
}
