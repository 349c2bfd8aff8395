// Tests for flattening an MC module tree into one module: order, EXTENDS, line mapping back to
// the files, and the refusals (cycles, INSTANCE of a local module, unreadable files).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlattenError, flattenModule, originOf } from './flatten.ts';

const FLAT = fileURLToPath(new URL('./fixtures/flat/', import.meta.url));
const at = (name: string): string => path.join(FLAT, name);

/** 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('flattenModule', () => {
  const flat = flattenModule(at('MCTop.tla'));

  it('names the result after the main module and keeps only standard modules in EXTENDS', () => {
    const lines = flat.source.split('\n');
    expect(lines[0]).toBe('---- MODULE MCTop ----');
    expect(lines[1]).toBe('EXTENDS Naturals, FiniteSets, TLC');
    expect(flat.standardModules).toEqual(['Naturals', 'FiniteSets', 'TLC']);
    expect(flat.source.trimEnd().endsWith('====')).toBe(true);
    expect(flat.source.match(/EXTENDS/g)).toHaveLength(1);
  });

  it('puts each extended module once, dependencies before dependants', () => {
    expect(flat.modules.map((m) => m.name)).toEqual(['Base', 'Mid', 'MCTop']);
    expect(flat.source.match(/^Init ==/gm)).toHaveLength(1);
    expect(lineOf(flat.source, 'Init ==')).toBeLessThan(lineOf(flat.source, 'Twice(n) =='));
    expect(lineOf(flat.source, 'Twice(n) ==')).toBeLessThan(lineOf(flat.source, 'MCN =='));
  });

  it("drops text outside header and footer and the extended modules' headers and footers", () => {
    expect(flat.source).not.toContain('Text before the header');
    expect(flat.source).not.toContain('Text after the footer');
    expect(flat.source).not.toContain('MODULE Base');
    expect(flat.source.match(/^=+$/gm)).toHaveLength(1);
  });

  it('maps every body line back to its file and line', () => {
    for (const [file, needle] of [
      ['Base.tla', 'Next == x < N'],
      ['Mid.tla', 'Bounded =='],
      ['MCTop.tla', 'MCN =='],
    ] as const) {
      const original = readFileSync(at(file), 'utf8');
      const origin = originOf(flat, lineOf(flat.source, needle));
      expect(origin).toEqual({ module: file.replace('.tla', ''), path: at(file), line: lineOf(original, needle) });
    }
    expect(originOf(flat, 1)).toBeUndefined();
  });

  it('blanks a multi-line EXTENDS clause without moving later lines', () => {
    const mid = flat.modules.find((m) => m.name === 'Mid');
    const original = readFileSync(at('Mid.tla'), 'utf8').split('\n');
    expect(mid?.fileFirstLine).toBe(3);
    const body = flat.source.split('\n').slice((mid?.firstLine ?? 0) - 1, (mid?.firstLine ?? 0) - 1 + (mid?.lineCount ?? 0));
    // The clause spans two lines, the comment inside it included; both lines stay, blank.
    expect(body[0]?.trim()).toBe('');
    expect(body[1]?.trim()).toBe('');
    expect(body[2]).toBe(original[4]);
  });

  it('flattens a module that extends nothing into itself', () => {
    const base = flattenModule(at('Base.tla'));
    expect(base.name).toBe('Base');
    expect(base.modules).toHaveLength(1);
    expect(base.source).toContain("Next == x < N /\\ x' = x + 1");
  });

  it('refuses an EXTENDS cycle, INSTANCE of a module in the folder, a file without header, a missing file', () => {
    expect(() => flattenModule(at('CycleA.tla'))).toThrow(/EXTENDS cycle CycleA -> CycleB -> CycleA/);
    expect(() => flattenModule(at('Inst.tla'))).toThrow(/Inst\.tla:3: INSTANCE Base is not supported/);
    expect(() => flattenModule(at('NoHeader.tla'))).toThrow(FlattenError);
    expect(() => flattenModule(at('Nope.tla'))).toThrow(/cannot read module \(ENOENT\)/);
  });
});
