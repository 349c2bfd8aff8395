// ZONE_DEVICE page references and pins, and the page_free callback on return to idle.
import { describe, expect, it } from 'vitest';
import {
  DevPagemap,
  folioGetForPte,
  folioPutForZap,
  pageMaybeDmaPinned,
  pinGrabbedPage,
  putPage,
  tryGrabPage,
  tryGrabPagePinned,
  unpinUserPage,
} from './page.ts';

function pagemap(idleRef: 0 | 1): { pgmap: DevPagemap; freed: string[] } {
  const pgmap = new DevPagemap(['b1', 'b2'], idleRef);
  const freed: string[] = [];
  pgmap.ops = { pageFree: (p) => freed.push(p.name) };
  return { pgmap, freed };
}

describe('ZONE_DEVICE page refcount', () => {
  for (const idleRef of [1, 0] as const) {
    it(`runs page_free exactly when put_page brings the page back to idle (IdleRef ${idleRef})`, () => {
      const { pgmap, freed } = pagemap(idleRef);
      const p = pgmap.pages[0]!;
      expect(p.refcount).toBe(idleRef);
      tryGrabPage(p);
      tryGrabPagePinned(p);
      putPage(pgmap, p);
      expect(freed).toEqual([]);
      unpinUserPage(pgmap, p);
      expect(freed).toEqual(['b1']);
      expect(p.refcount).toBe(idleRef);
    });
  }

  it('counts a speculative reference as a pin only once it is promoted', () => {
    const { pgmap } = pagemap(1);
    const p = pgmap.pages[1]!;
    tryGrabPage(p);
    expect(pageMaybeDmaPinned(p)).toBe(false);
    pinGrabbedPage(p);
    expect(pageMaybeDmaPinned(p)).toBe(true);
    unpinUserPage(pgmap, p);
    expect([p.refcount, p.pincount]).toEqual([1, 0]);
  });

  it('maps pfns to pages and back', () => {
    const { pgmap } = pagemap(1);
    const p = pgmap.pages[1]!;
    expect(pgmap.pfnToPage(p.pfn)).toBe(p);
    expect(() => pgmap.pfnToPage(1)).toThrow(/not in the pmem device/);
  });

  it('refuses to put an idle page', () => {
    const { pgmap } = pagemap(1);
    expect(() => putPage(pgmap, pgmap.pages[0]!)).toThrow(/idle page/);
  });
});

describe('the 2025 design: the PTE reference and the mapcount', () => {
  it('the insert takes a reference and a mapping, the zap drops both and frees the page at 0; a zap of an unmapped page throws', () => {
    const pgmap = new DevPagemap(['b1'], 0, true);
    const freed: string[] = [];
    pgmap.ops = { pageFree: (p) => freed.push(p.name) };
    const page = pgmap.pages[0]!;
    folioGetForPte(page);
    expect(page).toMatchObject({ refcount: 1, mapcount: 1 });
    folioPutForZap(pgmap, page);
    expect(page).toMatchObject({ refcount: 0, mapcount: 0 });
    expect(freed).toEqual(['b1']);
    page.refcount = 1; // a pin, but no PTE
    expect(() => folioPutForZap(pgmap, page)).toThrow('zap of b1, which no PTE maps');
    expect(page).toMatchObject({ refcount: 1, mapcount: 0 });
  });
});
