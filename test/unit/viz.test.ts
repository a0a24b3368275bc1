import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as aq from 'arquero';
import { barFigure, figureHtml, figurePageHtml, histogramFigure, lineFigure, plotlyLoaderHtml, withProvenance } from '../../src/viz/plot';
import { tableHtml } from '../../src/viz/table';
import type { Provenance } from '../../src/provenance';

const prov: Provenance = {
  commit: 'abc1234567', preset: 'smoke', configHash: 'ffff', backend: 'cpu', seed: 3,
  time: '2026-01-01T00:00:00.000Z', command: 'PRESET=smoke npx xalign reproduce --only 00-setup',
};

test('lineFigure builds one trace per series with error bars', () => {
  const f = lineFigure([1, 2, 3], [{ name: 'a', y: [1, 2, 3], errorY: [0.1, 0.1, 0.2] }, { name: 'b', y: [3, 2, 1] }], {
    title: 't', logX: true,
  });
  assert.equal(f.data.length, 2);
  assert.deepEqual((f.data[0]!.error_y as { array: number[] }).array, [0.1, 0.1, 0.2]);
  assert.equal((f.layout.xaxis as { type: string }).type, 'log');
  assert.throws(() => lineFigure([1, 2], [{ name: 'bad', y: [1] }], { title: 't' }), /series "bad" has 1 values but x has 2/);
  assert.throws(() => barFigure(['x'], [{ name: 'e', y: [1], errorY: [] }], { title: 't' }), /error values/);
  // category labels must not be forced onto a numeric axis (plotly would draw nothing)
  const bars = barFigure(['ar', 'zh'], [{ name: 'n', y: [1, 2] }], { title: 't' });
  assert.notEqual((bars.layout.xaxis as { type: string }).type, 'linear');
});

test('histogramFigure is a density: bar areas sum to 1', () => {
  const f = histogramFigure([0, 1, 1, 2, 2, 2, 3, 3, 3, 3], { title: 'h', bins: 4 });
  const bars = f.data[0] as { y: number[]; width: number };
  const width = 3 / 4;
  assert.ok(Math.abs(bars.y.reduce((s, v) => s + v * width, 0) - 1) < 1e-12);
  assert.throws(() => histogramFigure([], { title: 'h' }), /at least one/);
  assert.throws(() => histogramFigure([1, NaN], { title: 'h' }), /non-finite/);
});

test('withProvenance records the provenance and writes a footer with the command', () => {
  const f = withProvenance(lineFigure([1], [{ name: 'a', y: [1] }], { title: 't' }), prov);
  assert.deepEqual(f.provenance, prov);
  const footer = (f.layout.annotations as { text: string }[]).at(-1)!.text;
  assert.match(footer, /abc1234567/);
  assert.match(footer, /preset smoke/);
  assert.match(footer, /backend cpu/);
  assert.match(footer, /seed 3/);
  assert.match(footer, /npx xalign reproduce --only 00-setup/);
});

test('figureHtml escapes data that would end the script element', () => {
  const f = lineFigure(['</script><b>x'], [{ name: '</script>', y: [1] }], { title: 't' });
  const html = figureHtml(f, 'fig-x');
  assert.equal(html.match(/<\/script>/g)!.length, 1); // only the real closing tag
  assert.match(html, /id="fig-x" class="xalign-figure"/);
});

test('the plotly loader inlines the library and keeps it off RequireJS', () => {
  const loader = plotlyLoaderHtml();
  assert.ok(loader.length > 1_000_000, 'the bundle is inlined');
  assert.match(loader, /window\.define = undefined/);
  const page = figurePageHtml('A & B', [lineFigure([1], [{ name: 'a', y: [1] }], { title: 't' })]);
  assert.match(page, /<title>A &amp; B<\/title>/);
  assert.equal(page.match(/class="xalign-figure"/g)!.length, 1);
});

test('tableHtml renders rows, escapes text and says what it left out', () => {
  const t = aq.table({ name: ['<a>', 'b', 'c'], value: [1.23456, 2, 3000] });
  const html = tableHtml(t, { caption: 'Cap', limit: 2, digits: 2 });
  assert.match(html, /&lt;a&gt;/);
  assert.match(html, /1\.23/);
  assert.match(html, /first 2 of 3 rows/);
  assert.doesNotMatch(html, /3,000/);
  assert.match(tableHtml(t), /3,000/);
});
