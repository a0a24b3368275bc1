/**
 * Opens the HTML report in headless Chromium at a 1280 x 900 window and checks that it
 * works for a reader:
 *
 * - the index lists every notebook by its title and links its page;
 * - each page loads without JavaScript errors, is titled by its notebook (in `<title>`
 *   and in the page header, never nbconvert's "Notebook"), and is no wider than the
 *   window (`document.documentElement.scrollWidth <= innerWidth`; the index too);
 * - every plotly chart rendered: a `.xalign-figure` whose `svg.main-svg` holds trace
 *   marks with a non-empty bounding box (an axis frame with nothing drawn in it fails);
 * - the pages are small: plotly.js is one shared file in the report folder, loaded by
 *   a relative `<script src>`, and no page inlines it (each page under 1 MB);
 * - no output shows `NaN`, `Infinity`, "∞ – ∞" or "-0.000": a number with no value is
 *   said in words ("undefined: all points equal", "interval unbounded");
 * - Chinese is drawn with a real font: a zh string in the page's own font is drawn on a
 *   canvas and must differ from the missing-glyph box (tofu) and glyph from glyph; the
 *   font Chromium chose is reported (DevTools `CSS.getPlatformFontsForNode`). Pages
 *   that contain Chinese are checked on their own text too.
 *
 * usage: tsx test/browser/check-report.ts [OUT_DIR]   (default out/test-smoke)
 * Skips with a clear message (exit 0) when Chromium is not installed; set
 * XALIGN_REQUIRE_BROWSER=1 to make that a failure. XALIGN_SCREENSHOTS=1 saves a
 * full-page PNG beside each page.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WINDOW = { width: 1280, height: 900 };
/** A page without plotly inlined is 50-250 KB; one with it is about 5 MB. Limit: 1 MiB. */
const MAX_PAGE_BYTES = 1 << 20;
const PLOTLY_FILE = 'plotly.min.js';
/** Chinese for the glyph check: common Han characters and CJK punctuation. */
const ZH_SAMPLE = '中文对齐，语言模型';

interface Summary {
  preset: string;
  results: { notebook: string; title?: string | null; html: string | null }[];
}

interface GlyphCheck {
  /** Where the text was drawn: "probe" (a zh sample in the page's font) or "page text". */
  source: string;
  text: string;
  /** The CSS font-family the text has. */
  font: string;
  /** Fonts Chromium used for the text node, with glyph counts. */
  platformFonts: string;
  /** Each glyph drawn differently from the missing-glyph box, and from each other. */
  real: boolean;
  /** Han characters drawn, how many distinct images they gave, how many were the box (or blank). */
  glyphs: number;
  distinct: number;
  boxes: number;
}

interface PageCheck {
  page: string;
  title: string;
  header: string;
  figures: number;
  rendered: number;
  scrollWidth: number;
  innerWidth: number;
  bytes: number;
  plotlySrc: string | null;
  inlineScriptBytes: number;
  undefinedNumbers: string[];
  glyphs: GlyphCheck[];
  errors: string[];
}

/**
 * Draws `text` in `font` on a canvas, glyph by glyph, and compares each with the
 * missing-glyph box (a private-use code point no font has) and with the other glyphs:
 * without a CJK font every Han character is the same box. Runs in the page; kept as
 * source text because tsx's compiled functions call a helper the page does not have.
 */
const GLYPH_PROBE_JS = `([text, font]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.font = '40px ' + font;
  g.textBaseline = 'top';
  const draw = (ch) => {
    g.clearRect(0, 0, 64, 64);
    g.fillText(ch, 4, 4);
    const alpha = g.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3);
    return Array.from(alpha, (a) => (a > 127 ? '1' : '0')).join('');
  };
  const missing = '\\u{10FFFD}';
  const tofu = draw(missing);
  const glyphs = Array.from(text).filter((ch) => /\\p{Script=Han}/u.test(ch)).slice(0, 4);
  const drawn = glyphs.map(draw);
  const boxes = drawn.filter((d) => !d.includes('1') || d === tofu).length;
  const distinct = new Set(drawn).size;
  return { real: glyphs.length > 0 && boxes === 0 && distinct === glyphs.length, glyphs: glyphs.length, distinct, boxes };
}`;

/** The fonts Chromium used to draw the element `selector`, e.g. "Noto Sans CJK SC (9)". */
async function platformFonts(context: BrowserContext, page: Page, selector: string): Promise<string> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return '(element not found)';
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => `${f.familyName} (${f.glyphCount})`).join(', ') || '(none)';
  } catch (e) {
    return `(not available: ${(e as Error).message.split('\n')[0]})`;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Glyph checks on `page`: a zh sample placed where the notebook's Markdown goes (so it
 * has the page's own font), and the first output or Markdown element with Chinese.
 */
async function checkGlyphs(context: BrowserContext, page: Page): Promise<GlyphCheck[]> {
  const targets = await page.evaluate((sample) => {
    const han = /\p{Script=Han}/u;
    const host = document.querySelector('.rendered_html') ?? document.body;
    const probe = document.createElement('p');
    probe.id = 'xalign-glyph-probe';
    probe.textContent = sample;
    host.appendChild(probe);
    const found: { source: string; selector: string; text: string; font: string }[] = [
      { source: 'probe', selector: '#xalign-glyph-probe', text: sample, font: getComputedStyle(probe).fontFamily },
    ];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.id === 'xalign-glyph-probe' || el.closest('script, style, svg') || !han.test(n.textContent ?? '')) continue;
      el.setAttribute('data-xalign-glyphs', '1');
      const text = Array.from(n.textContent ?? '').filter((ch) => han.test(ch)).slice(0, 8).join('');
      found.push({ source: 'page text', selector: '[data-xalign-glyphs]', text, font: getComputedStyle(el).fontFamily });
      break;
    }
    return found;
  }, ZH_SAMPLE);
  const checks: GlyphCheck[] = [];
  for (const t of targets) {
    const probe = (await page.evaluate(`(${GLYPH_PROBE_JS})(${JSON.stringify([t.text, t.font])})`)) as Pick<GlyphCheck, 'real' | 'glyphs' | 'distinct' | 'boxes'>;
    checks.push({ source: t.source, text: t.text, font: t.font, platformFonts: await platformFonts(context, page, t.selector), ...probe });
  }
  await page.evaluate(() => document.getElementById('xalign-glyph-probe')?.remove());
  return checks;
}

/**
 * Output text where a number with no value is shown as code rather than said in
 * words: `NaN`, `Infinity`, an interval "∞ – ∞", or a negative zero "-0.000"; each
 * with some context.
 */
async function undefinedNumbers(page: Page): Promise<string[]> {
  const pattern = String.raw`\b(?:NaN|Infinity)\b|∞\s*[–-]\s*∞|(?<![\w.])-0\.0+(?![\d])`;
  return page.$$eval(
    '.output_area',
    (els, source) => {
      const hits: string[] = [];
      for (const el of els) {
        const text = (el as HTMLElement).innerText.replace(/\s+/g, ' ');
        for (const m of text.matchAll(new RegExp(source, 'g'))) {
          const at = m.index ?? 0;
          const hit = `"…${text.slice(Math.max(0, at - 50), at + m[0].length + 20)}…"`;
          if (!hits.includes(hit)) hits.push(hit);
        }
      }
      return hits;
    },
    pattern,
  );
}

async function checkPage(context: BrowserContext, outDir: string, href: string): Promise<PageCheck> {
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
  const layout = await p.evaluate(() => ({
    title: document.title,
    header: document.querySelector('header.xalign-page-header .xalign-page-title')?.textContent ?? '',
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    plotlySrc: Array.from(document.scripts).map((s) => s.getAttribute('src')).find((s) => !!s && /plotly[^/]*\.js$/.test(s)) ?? null,
    inlineScriptBytes: Math.max(0, ...Array.from(document.scripts).filter((s) => !s.src).map((s) => s.text.length)),
  }));
  const check: PageCheck = {
    page: href,
    figures,
    rendered,
    ...layout,
    bytes: fs.statSync(path.join(outDir, href)).size,
    undefinedNumbers: await undefinedNumbers(p),
    glyphs: await checkGlyphs(context, p),
    errors,
  };
  if (process.env.XALIGN_SCREENSHOTS) {
    await p.screenshot({ path: path.join(outDir, href.replace(/\.html$/, '.png')), fullPage: true });
  }
  await p.close();
  return check;
}

const kb = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;

async function main(): Promise<number> {
  const outDir = path.resolve(process.argv[2] ?? 'out/test-smoke');
  const executable = process.env.XALIGN_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executable)) {
    const msg = `browser check SKIPPED: no Chromium at ${executable} (install Debian's chromium, or set XALIGN_CHROMIUM)`;
    console.log(msg);
    return process.env.XALIGN_REQUIRE_BROWSER === '1' ? 1 : 0;
  }
  const indexFile = path.join(outDir, 'index.html');
  const summary = JSON.parse(fs.readFileSync(path.join(outDir, 'index.json'), 'utf8')) as Summary;
  const browser = await chromium.launch({ executablePath: executable, args: CHROMIUM_FLAGS, headless: true });
  const failures: string[] = [];
  const checks: PageCheck[] = [];
  let indexWidth = 0;
  try {
    const context = await browser.newContext({ viewport: WINDOW });
    const page = await context.newPage();
    await page.goto('file://' + indexFile);
    const rows = await page.$$eval('tbody a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: (a.textContent ?? '').trim() })));
    const links = rows.map((r) => r.href);
    const listed = summary.results.filter((r) => r.html);
    const expected = listed.map((r) => r.html);
    if (JSON.stringify(links) !== JSON.stringify(expected)) {
      failures.push(`index links ${JSON.stringify(links)} differ from the notebooks run ${JSON.stringify(expected)}`);
    }
    const titles = new Map(listed.map((r) => [r.html, r.title || r.notebook]));
    for (const r of rows) {
      const want = titles.get(r.href);
      if (want !== undefined && r.text !== want) failures.push(`index lists ${r.href} as "${r.text}", not by its title "${want}"`);
    }
    const missingTitles = listed.filter((r) => !r.title).map((r) => r.notebook);
    if (missingTitles.length) failures.push(`no title (first Markdown heading) recorded for ${missingTitles.join(', ')}`);
    indexWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (indexWidth > WINDOW.width) failures.push(`index.html is ${indexWidth} px wide in a ${WINDOW.width} px window`);
    console.log(`index.html: ${indexWidth}/${WINDOW.width} px wide; notebooks listed by title:`);
    for (const r of rows) console.log(`  ${r.href} -> "${r.text}"`);
    await page.close();

    const plotlyFile = path.join(outDir, PLOTLY_FILE);
    if (!fs.existsSync(plotlyFile)) failures.push(`no shared ${PLOTLY_FILE} in ${outDir}`);
    else console.log(`shared ${PLOTLY_FILE}: ${kb(fs.statSync(plotlyFile).size)}, once for the report`);

    for (const href of links) {
      if (!href) continue;
      const c = await checkPage(context, outDir, href);
      checks.push(c);
      const want = titles.get(href) ?? '';
      if (c.title !== want) failures.push(`${href}: <title> is "${c.title}", not the notebook's title "${want}"`);
      if (c.header !== want) failures.push(`${href}: page header says "${c.header}", not "${want}"`);
      if (c.rendered < c.figures) failures.push(`${href}: ${c.figures - c.rendered} of ${c.figures} charts did not render`);
      if (c.scrollWidth > c.innerWidth) failures.push(`${href}: ${c.scrollWidth} px wide in a ${c.innerWidth} px window`);
      if (c.bytes > MAX_PAGE_BYTES) failures.push(`${href}: ${kb(c.bytes)}, over ${kb(MAX_PAGE_BYTES)} (plotly inlined?)`);
      if (c.figures > 0 && c.plotlySrc !== PLOTLY_FILE) {
        failures.push(`${href}: charts without the shared plotly (script src ${JSON.stringify(c.plotlySrc)}, want "${PLOTLY_FILE}")`);
      }
      if (c.inlineScriptBytes > 200_000) failures.push(`${href}: an inline script of ${kb(c.inlineScriptBytes)} (plotly inlined?)`);
      if (c.undefinedNumbers.length) {
        const more = c.undefinedNumbers.length > 3 ? ` and ${c.undefinedNumbers.length - 3} more` : '';
        failures.push(`${href}: outputs show NaN, Infinity, "∞ – ∞" or "-0.000" where words belong: ${c.undefinedNumbers.slice(0, 3).join(', ')}${more}`);
      }
      for (const g of c.glyphs.filter((g) => !g.real)) {
        failures.push(`${href}: Chinese (${g.source} "${g.text}") is drawn as missing-glyph boxes in font ${g.font} (fonts used: ${g.platformFonts}); install fonts-noto-cjk (npm run setup)`);
      }
      if (c.errors.length) failures.push(`${href}: JavaScript errors: ${c.errors.join(' | ')}`);
    }
  } finally {
    await browser.close();
  }
  for (const c of checks) {
    console.log(
      `${c.page}: "${c.title}"; ${c.rendered}/${c.figures} charts rendered; ${c.scrollWidth}/${c.innerWidth} px wide; ` +
        `${kb(c.bytes)} (plotly: ${c.plotlySrc ?? 'none'}); NaN/Infinity/-0 shown: ${c.undefinedNumbers.length}`,
    );
    for (const g of c.glyphs) {
      console.log(
        `  zh glyphs (${g.source} "${g.text}"): ${g.real ? 'real glyphs' : 'MISSING-GLYPH BOXES'}; ` +
          `${g.glyphs} glyphs drawn, ${g.distinct} distinct, ${g.boxes} like the missing-glyph box; font used: ${g.platformFonts}`,
      );
    }
  }
  const totalFigures = checks.reduce((s, c) => s + c.figures, 0);
  const totalBytes = checks.reduce((s, c) => s + c.bytes, 0);
  if (checks.length === 0) failures.push('the report links no notebook pages');
  if (totalFigures === 0) failures.push('no chart found in any page (00-setup shows one)');
  if (failures.length) {
    console.error('browser check FAILED:\n- ' + failures.join('\n- '));
    return 1;
  }
  console.log(
    `browser check passed: ${checks.length} pages (${kb(totalBytes)} in all), ${totalFigures} charts, ` +
      `every page within ${WINDOW.width} px, titled, Chinese drawn with a real font`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`browser check FAILED: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
