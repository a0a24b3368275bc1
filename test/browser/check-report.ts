/**
 * Opens the HTML report in headless Chromium and checks that it works for a reader:
 * the index lists every notebook and links its page, each page loads, and every
 * plotly chart on it rendered: a `.xalign-figure` whose `svg.main-svg` holds trace marks
 * with a non-empty bounding box (an axis frame with nothing drawn in it fails).
 *
 * usage: tsx test/browser/check-report.ts [OUT_DIR]   (default out/test-smoke)
 * Skips with a clear message (exit 0) when Chromium is not installed; set
 * XALIGN_REQUIRE_BROWSER=1 to make that a failure.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

interface PageCheck {
  page: string;
  figures: number;
  rendered: number;
  errors: string[];
}

async function main(): Promise<number> {
  const outDir = path.resolve(process.argv[2] ?? 'out/test-smoke');
  const executable = process.env.XALIGN_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executable)) {
    const msg = `browser check SKIPPED: no Chromium at ${executable} (install Debian's chromium, or set XALIGN_CHROMIUM)`;
    console.log(msg);
    return process.env.XALIGN_REQUIRE_BROWSER === '1' ? 1 : 0;
  }
  const indexFile = path.join(outDir, 'index.html');
  const summary = JSON.parse(fs.readFileSync(path.join(outDir, 'index.json'), 'utf8')) as {
    results: { notebook: string; html: string | null }[];
  };
  const browser = await chromium.launch({ executablePath: executable, args: CHROMIUM_FLAGS, headless: true });
  const failures: string[] = [];
  const checks: PageCheck[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto('file://' + indexFile);
    const links = await page.$$eval('tbody a', (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
    const expected = summary.results.filter((r) => r.html).map((r) => r.html);
    if (JSON.stringify(links) !== JSON.stringify(expected)) {
      failures.push(`index links ${JSON.stringify(links)} differ from the notebooks run ${JSON.stringify(expected)}`);
    }
    for (const href of links) {
      if (!href) continue;
      const errors: string[] = [];
      const p = await context.newPage();
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto('file://' + path.join(outDir, href), { waitUntil: 'load' });
      const figures = await p.$$eval('.xalign-figure', (els) => els.length);
      // plotly draws asynchronously; wait until every figure has its SVG or 20 s pass
      await p
        .waitForFunction(
          () => Array.from(document.querySelectorAll('.xalign-figure')).every((el) => el.querySelector('svg.main-svg .trace path')),
          undefined,
          { timeout: 20000 },
        )
        .catch(() => undefined);
      const rendered = await p.$$eval('.xalign-figure', (els) =>
        els.filter((el) => {
          const svg = el.querySelector('svg.main-svg');
          const box = svg?.getBoundingClientRect();
          // drawn marks: a trace path with a non-empty box (an empty chart still has axes and legend)
          const marks = Array.from(svg?.querySelectorAll('.trace path') ?? []).filter((p) => {
            const b = (p as SVGGraphicsElement).getBBox();
            return b.width > 0 || b.height > 0;
          });
          return !!svg && !!box && box.width > 0 && box.height > 0 && marks.length > 0;
        }).length,
      );
      if (rendered < figures) failures.push(`${href}: ${figures - rendered} of ${figures} charts did not render`);
      if (errors.length) failures.push(`${href}: JavaScript errors: ${errors.join(' | ')}`);
      if (process.env.XALIGN_SCREENSHOTS) {
        await p.screenshot({ path: path.join(outDir, href.replace(/\.html$/, '.png')), fullPage: true });
      }
      checks.push({ page: href, figures, rendered, errors });
      await p.close();
    }
  } finally {
    await browser.close();
  }
  for (const c of checks) console.log(`${c.page}: ${c.rendered}/${c.figures} charts rendered`);
  const totalFigures = checks.reduce((s, c) => s + c.figures, 0);
  if (checks.length === 0) failures.push('the report links no notebook pages');
  if (totalFigures === 0) failures.push('no chart found in any page (00-setup shows one)');
  if (failures.length) {
    console.error('browser check FAILED:\n- ' + failures.join('\n- '));
    return 1;
  }
  console.log(`browser check passed: ${checks.length} pages, ${totalFigures} charts`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`browser check FAILED: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
