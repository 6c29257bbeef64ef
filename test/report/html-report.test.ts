// The HTML certification report, opened in headless Chromium (the system one, else the one from
// npm: test/support/chromium.ts) the way a partner opens it: it
// renders, the overall verdict at the top and the requirement table match a known run, each
// failure shows its counterexample and masked curl replay, and no request leaves the page.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReport } from '../../src/report/html-report.ts';
import { PACKAGE_ROOT } from '../../src/spec/spec-paths.ts';
import { launchChromium } from '../support/chromium.ts';
import { knownRun, type KnownRun } from './known-run.ts';

const SCREENSHOT = join(PACKAGE_ROOT, 'reports', 'html-report.png');

/** Opens an HTML file from disk; returns the page and every URL it requested. */
async function open(browser: Browser, html: string): Promise<{ page: Page; requests: string[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'authconform-html-')), 'report.html');
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests: requests.map((u) => (u === pathToFileURL(file).href ? 'self' : u)) };
}

describe('HTML certification report', () => {
  let browser: Browser;
  let run: KnownRun;
  let page: Page;
  let requests: string[];
  let html: string;
  beforeAll(async () => {
    [browser, run] = await Promise.all([launchChromium(), knownRun()]);
    html = htmlReport(run.record);
    ({ page, requests } = await open(browser, html));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders, and a screenshot is kept under reports/', async () => {
    expect(await page.title()).toContain('authconform FAIL');
    expect(await page.locator('h1').innerText()).toBe('FAIL');
    mkdirSync(join(PACKAGE_ROOT, 'reports'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows the right overall verdict at the top: a MUST failed', async () => {
    const top = page.locator('body > :first-child');
    expect(await top.getAttribute('id')).toBe('overall');
    expect(await top.getAttribute('data-verdict')).toBe('FAIL');
    expect(await page.locator('#overall-reason').innerText()).toMatch(
      /^1 MUST requirement\(s\) failed/,
    );
    expect(await page.locator('#counts').innerText()).toContain(
      `${run.verdicts.length - 2} passed, 1 failed (1 MUST, 0 SHOULD), 0 partial, 1 skipped, 0 errors; exit code 1`,
    );
    // Red, as a FAIL banner is meant to be seen from across the room.
    expect(await top.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(207, 34, 46)');
  });

  it('has a requirement table whose rows are the verdicts of the run, in order', async () => {
    const rows = await page
      .locator('#requirements tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText)),
      );
    expect(rows.map((r) => [r[0], r[1]!.split('\n')[0], r[2], r[3]])).toEqual(
      run.verdicts.map((v) => [v.profile, v.scenario, v.severity, v.status]),
    );
    // What the engine was expected to find, independent of the report: the broken luxcore
    // server is caught by revoked-key-refused, the missing auxvault role SKIPs, the rest pass.
    const verdictOf = (profile: string, scenario: string) =>
      rows.find((r) => r[0] === profile && r[1]!.startsWith(scenario))?.[3];
    expect(verdictOf('luxcore', 'revoked-key-refused')).toBe('FAIL');
    expect(verdictOf('auxvault', 'revoked-key-refused')).toBe('SKIP');
    expect(rows.filter((r) => r[3] === 'PASS')).toHaveLength(rows.length - 2);
    // Each row cites the guide's sentence the requirement comes from.
    run.verdicts.forEach((v, i) => expect(rows[i]![4]).toBe(v.cite));
  });

  it('shows what was tested: tool version, profiles with version and spec SHA-256, target, date, seed, runs', async () => {
    const run_ = await page.locator('#run').innerText();
    for (const text of [
      'authconform 0.1.0',
      '2026-01-15T10:00:00.000Z',
      'http://127.0.0.1:4010',
      'luxcore 1.0.0',
      run.record.specSha256,
    ])
      expect(run_).toContain(text);
    expect(await page.locator('#run dt:has-text("Seed") + dd').innerText()).toBe('7');
    expect(await page.locator('#run dt:has-text("Runs per property") + dd').innerText()).toBe('5');
    const profiles = await page.locator('#profiles tbody tr').allInnerTexts();
    expect(profiles).toHaveLength(2);
    expect(profiles[0]).toContain(run.record.profiles[0]!.specSha256);
  });

  it('shows each failure with its counterexample and a curl replay with the keys masked', async () => {
    const failure = page.locator('article.failure');
    expect(await failure.count()).toBe(1);
    expect(await failure.getAttribute('data-scenario')).toBe('revoked-key-refused');
    expect(await failure.locator('p', { hasText: 'Shrunk counterexample' }).innerText()).toMatch(
      /GET|POST|PUT|DELETE|PATCH/,
    );
    const curl = await failure.locator('pre.curl').innerText();
    expect(curl).toMatch(/^curl -i -X /);
    expect(curl).toMatch(/X-API-Key: qp_test_sk_…[A-Za-z0-9]{4}'/i);
    expect(await failure.locator('pre.rerun').innerText()).toContain(
      '--scenario revoked-key-refused',
    );
    // The note of the FAIL row links to it, inside the page.
    expect(await page.locator('#requirements a[href="#failure-1"]').count()).toBe(1);
  });

  it('makes no request but for the document itself', async () => {
    expect(requests).toEqual(['self']);
    // Nothing that could fetch anything is in the file at all.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(|src=/i);
    expect(html.match(/href="([^"]*)"/g)?.every((h) => h.startsWith('href="#'))).toBe(true);
  });

  it('sees a request that leaves a page, so the check above can fail', async () => {
    const planted = html.replace('</main>', '<img src="http://127.0.0.1:9/pixel.png"></main>');
    // Without the report's Content-Security-Policy, which would block the image before it left.
    const { page: p, requests: seen } = await open(
      browser,
      planted.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
    );
    await p.close();
    expect(seen).toContain('http://127.0.0.1:9/pixel.png');
  });

  it('escapes every string: a hostile reason renders as text, not markup', async () => {
    const record = structuredClone(run.record);
    record.verdicts.find((v) => v.status === 'FAIL')!.reason =
      '<img src=x onerror="document.title=1"><b>bold</b> & "quotes"';
    const { page: p, requests: seen } = await open(browser, htmlReport(record));
    expect(await p.locator('article.failure pre.reason').innerText()).toBe(
      '<img src=x onerror="document.title=1"><b>bold</b> & "quotes"',
    );
    expect(await p.locator('article.failure b').count()).toBe(0);
    expect(seen).toEqual(['self']);
    await p.close();
  });
});
