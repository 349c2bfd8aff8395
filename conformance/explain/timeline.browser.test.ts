// The HTML timeline in a real browser (Debian's chromium driven by playwright-core): the report of
// the committed scan-before-unmap counterexample shows its lanes, highlights the violating step
// with the why sentence, and moves the selection with the arrow keys, Home and End. Saves a
// screenshot to test-artifacts/ (git-ignored). Skips, naming why, where no chromium is installed;
// under DAX_MODEL_REQUIRE_BROWSER=1 (CI's .ci/run, which installs chromium) it fails instead, so a
// CI run cannot pass with the browser test silently skipped.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/paths.ts';
import { skipTitle } from '../../lib/skip-reason.ts';
import { readSavedCounterexample, regressionFiles } from '../replay/counterexample-replay.ts';
import { timelineHtml } from './outputs.ts';
import { explainCounterexample } from './why.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const noChromium = existsSync(CHROMIUM) ? null : `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
const required = process.env.DAX_MODEL_REQUIRE_BROWSER === '1';
const skipWhy = required ? null : noChromium;

describe.skipIf(skipWhy !== null)(skipTitle('the HTML timeline in chromium', skipWhy), () => {
  it('shows the scan-before-unmap race: lanes, the highlighted step, keyboard navigation', async () => {
    expect(noChromium, 'DAX_MODEL_REQUIRE_BROWSER=1: the browser test must run here').toBeNull();
    const saved = readSavedCounterexample(regressionFiles('scan-before-unmap').data);
    const explanation = explainCounterexample(saved.counterexample, saved.expected);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dax-report-'));
    const file = path.join(dir, 'scan-before-unmap.html');
    writeFileSync(
      file,
      timelineHtml({
        config: 'scan-before-unmap',
        source: 'conformance/regressions/scan-before-unmap.cex.json',
        cex: saved.counterexample,
        explanation,
      }),
    );
    const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1600, height: 1000 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(`file://${file}`);
      const lanes = await page.locator('.lbl').allTextContents();
      expect(lanes).toEqual(expect.arrayContaining(['u1 (user)', 't1 (fs task)', 'refcount b1', 'b1 belongs to']));
      const bad = page.locator('.box.bad');
      await expect(bad.count()).resolves.toBe(1);
      expect(await bad.getAttribute('data-step')).toBe('17');
      expect(await bad.getAttribute('data-lane')).toBe('t1');
      expect(await page.locator('#why').textContent()).toContain('u1 DMAs into b1 through f1:0');
      const selected = async (): Promise<string | undefined> => page.evaluate(() => document.body.dataset.selected);
      expect(await selected()).toBe('17');
      await page.keyboard.press('ArrowLeft');
      expect(await selected()).toBe('16');
      expect(await page.locator('#step-title').textContent()).toContain('DeleteEntry by t1');
      expect(await page.locator('#state tr.chg td:first-child').allTextContents()).toEqual(['entry', 'fpc', 'mapping']);
      await page.keyboard.press('Home');
      expect(await selected()).toBe('1');
      await page.keyboard.press('ArrowRight');
      expect(await selected()).toBe('2');
      await page.keyboard.press('End');
      expect(await selected()).toBe('17');
      expect(requests).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'scan-before-unmap-timeline.png'), fullPage: true });
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
