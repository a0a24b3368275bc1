/**
 * `xalign reproduce`: execute notebooks headless, in order, and build the HTML report.
 *
 * Each notebook runs in its own kernel through `kernels/runner.py` (nbclient), which
 * prints progress and writes `out/NAME.ipynb`, `out/NAME.html` and `out/NAME.run.json`.
 * The notebook itself writes `out/NAME.provenance.json` (preset, backend, seed, commit)
 * through the session it starts. This module then finishes each page (its title, a
 * header, a style that fits the window, one shared plotly.js: src/report/page.ts) and
 * writes `out/index.html` linking every page by title with its status, run time,
 * preset and backend.
 */

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { presetFromEnv } from '../config/presets';
import { PROJECT_ROOT } from '../provenance';
import { projectJupyterEnv } from './jupyter-env';
import { indexPageHtml, type IndexPageInfo, type NotebookResult } from './index-page';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { readNotebook } from './notebook-files';
import { finishNotebookPage, notebookTitle } from './page';

export interface ReproduceOptions {
  /** Notebook files to run, in order; default: every `notebooks/*.ipynb`, sorted. */
  notebooks?: string[];
  /** Output folder (default `out/`). */
  outDir?: string;
  /** Preset name; default `PRESET` from the environment, else classroom. */
  preset?: string;
  /** XALIGN_SET-style overrides passed to every notebook. */
  set?: string;
  /** Default per-cell time-out in seconds (default 600). */
  cellTimeout?: number;
  /** Stop at the first failing notebook instead of running the rest. */
  failFast?: boolean;
  /** Run notebooks even where their metadata skips the preset (`--only` sets it). */
  force?: boolean;
  /** Where progress lines go (default process.stderr). */
  log?: (line: string) => void;
}

export interface ReproduceReport {
  ok: boolean;
  outDir: string;
  index: string;
  results: NotebookResult[];
}

/** Raised when Jupyter cannot be found; the message says what to install. */
export class JupyterMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JupyterMissingError';
  }
}

/**
 * The Python that has nbclient and nbconvert: `XALIGN_PYTHON`, else Debian's
 * `/usr/bin/python3` (the `python3` first on PATH may be another Python), else `python3`.
 */
export function findJupyterPython(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.XALIGN_PYTHON ? [env.XALIGN_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import nbclient, nbconvert, nbformat'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new JupyterMissingError(
    `no Python with nbclient and nbconvert found (tried ${candidates.join(', ')}). ` +
      'Run `npm run setup` (Debian/Ubuntu), or `pip install notebook nbclient nbconvert` ' +
      'and set XALIGN_PYTHON to that python.',
  );
}

/** The notebooks `reproduce` runs by default: `notebooks/*.ipynb` in name order. */
export function defaultNotebooks(root: string = PROJECT_ROOT): string[] {
  const dir = path.join(root, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Resolves `--only` names ("00-setup", "00-setup.ipynb" or a path) to notebook files.
 * @throws Error naming the unknown notebook and listing the known ones.
 */
export function selectNotebooks(only: string[], all: string[] = defaultNotebooks()): string[] {
  return only.map((name) => {
    if (fs.existsSync(name) && name.endsWith('.ipynb')) return path.resolve(name);
    const stem = path.basename(name).replace(/\.ipynb$/, '');
    const hit = all.find((f) => path.basename(f, '.ipynb') === stem);
    if (!hit) {
      throw new Error(`no notebook "${name}"; known: ${all.map((f) => path.basename(f, '.ipynb')).join(', ')}`);
    }
    return hit;
  });
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function runOne(python: string, notebook: string, outDir: string, env: NodeJS.ProcessEnv, timeout: number): Promise<number> {
  const args = [path.join(PROJECT_ROOT, 'kernels', 'runner.py'), notebook, '--out-dir', outDir, '--timeout', String(timeout)];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Why `notebook` is not run on `preset`, from its metadata
 * `{"xalign": {"skipPresets": {"classroom": "reason"}}}`, or null. A notebook whose
 * work does not yet fit a preset's time budget says so there instead of silently
 * taking hours; the report lists it as skipped with the reason.
 */
export function presetSkipReason(notebook: string, preset: string): string | null {
  const meta = (readNotebook(notebook).metadata as { xalign?: { skipPresets?: Record<string, unknown> } }).xalign;
  const reason = meta?.skipPresets?.[preset];
  if (reason === undefined) return null;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new Error(`${notebook}: metadata xalign.skipPresets.${preset} must be a non-empty string (the reason)`);
  }
  return reason;
}

/**
 * Finishes `outDir/STEM.html` (src/report/page.ts) and returns its name, or null when
 * the runner wrote no page. A page that cannot be finished is kept as written, with a
 * message: the run's results matter more than its looks.
 */
function finishPage(outDir: string, stem: string, title: string | null, log: (line: string) => void): string | null {
  const page = `${stem}.html`;
  if (!fs.existsSync(path.join(outDir, page))) return null;
  try {
    finishNotebookPage(outDir, page, { title: title ?? stem });
  } catch (e) {
    log(`${page}: page left as nbconvert wrote it (${(e as Error).message})`);
  }
  return page;
}

/** Writes `index.html` and `index.json`; returns the index page's path. */
function writeIndex(outDir: string, results: NotebookResult[], info: IndexPageInfo): string {
  const index = path.join(outDir, 'index.html');
  writeFileAtomic(index, indexPageHtml(results, info));
  writeJsonAtomic(path.join(outDir, 'index.json'), { preset: info.preset, overridden: info.overridden, totalSeconds: info.totalSeconds, results });
  return index;
}

/**
 * Finishes an existing report again without running anything: every page listed in
 * `outDir/index.json` gets its title, header, style and the shared plotly.js, and the
 * index is rewritten with titles. For reports written before a change to the page
 * (the titles come from the executed notebooks in `outDir`, else from `notebooks/`).
 */
export function refreshReport(outDir: string, log: (line: string) => void = (line) => process.stderr.write(line + '\n')): ReproduceReport {
  const dir = path.resolve(outDir);
  const saved = readJson<{ preset: string; overridden?: string[]; totalSeconds: number; results: NotebookResult[] }>(path.join(dir, 'index.json'));
  if (!saved) throw new Error(`${dir}: no index.json (run \`xalign reproduce --out ${outDir}\` first)`);
  const results = saved.results.map((r) => {
    const source = [path.join(dir, `${r.notebook}.ipynb`), path.join(PROJECT_ROOT, 'notebooks', `${r.notebook}.ipynb`)].find((f) => fs.existsSync(f));
    const title = r.title ?? (source ? notebookTitle(readNotebook(source)) : null);
    return { ...r, title, html: r.html ? finishPage(dir, r.notebook, title, log) : null };
  });
  const index = writeIndex(dir, results, { preset: saved.preset, overridden: saved.overridden ?? [], totalSeconds: saved.totalSeconds });
  return { ok: results.every((r) => r.ok), outDir: dir, index, results };
}

/** Runs the notebooks and writes the report; never throws for a failing cell. */
export async function reproduce(options: ReproduceOptions = {}): Promise<ReproduceReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const outDir = path.resolve(options.outDir ?? path.join(PROJECT_ROOT, 'out'));
  const notebooks = options.notebooks ?? defaultNotebooks();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  if (options.preset) baseEnv.PRESET = options.preset;
  if (options.set !== undefined) baseEnv.XALIGN_SET = options.set;
  const preset = presetFromEnv(baseEnv); // validates PRESET and XALIGN_SET before any kernel starts
  baseEnv.PRESET = preset.name;
  const python = findJupyterPython(baseEnv);
  // the kernelspec on JUPYTER_PATH, Jupyter's and IPython's own files under .cache/jupyter/
  Object.assign(baseEnv, projectJupyterEnv(PROJECT_ROOT, baseEnv));
  fs.mkdirSync(outDir, { recursive: true });

  const results: NotebookResult[] = [];
  const force = options.force ?? false;
  const started = Date.now();
  for (const [i, nb] of notebooks.entries()) {
    const stem = path.basename(nb, '.ipynb');
    const provenanceFile = path.join(outDir, `${stem}.provenance.json`);
    for (const stale of ['.run.json', '.provenance.json']) fs.rmSync(path.join(outDir, stem + stale), { force: true });
    const skip = force ? null : presetSkipReason(nb, preset.name);
    const title = notebookTitle(readNotebook(nb));
    if (skip) {
      log(`== [${i + 1}/${notebooks.length}] ${stem}: skipped on preset ${preset.name}: ${skip} (run it anyway with --only ${stem}) ==`);
      results.push({
        notebook: stem, title, ok: true, skipped: skip, seconds: null, cells: null, failedCell: null, failure: null,
        preset: preset.name, backend: '–', seed: preset.settings.seed, commit: '–', html: null,
      });
      continue;
    }
    log(`== [${i + 1}/${notebooks.length}] ${stem} (preset ${preset.name}) ==`);
    const env = { ...baseEnv, XALIGN_PROVENANCE_FILE: provenanceFile };
    const code = await runOne(python, nb, outDir, env, options.cellTimeout ?? 600);
    const run = readJson<{ status: string; seconds: number; cells: number; error?: { cell?: number; kind: string } | null }>(
      path.join(outDir, `${stem}.run.json`),
    );
    const prov = readJson<{ backend: string; preset: string; seed: number; commit: string }>(provenanceFile);
    const ok = code === 0 && run?.status === 'ok';
    const html = finishPage(outDir, stem, title, log);
    results.push({
      notebook: stem,
      title,
      ok,
      seconds: run?.seconds ?? null,
      cells: run?.cells ?? null,
      failedCell: run?.error?.cell ?? null,
      failure: ok ? null : run?.error?.kind ?? `runner exited with code ${code}`,
      preset: prov?.preset ?? preset.name,
      backend: prov?.backend ?? 'unknown',
      seed: prov?.seed ?? preset.settings.seed,
      commit: prov?.commit ?? 'unknown',
      html,
    });
    log(`== ${stem}: ${ok ? 'ok' : 'FAILED'} in ${(run?.seconds ?? 0).toFixed(1)} s ==`);
    if (!ok && options.failFast) break;
  }
  const totalSeconds = (Date.now() - started) / 1000;
  const index = writeIndex(outDir, results, { preset: preset.name, overridden: preset.overridden, totalSeconds });
  const ok = results.length === notebooks.length && results.every((r) => r.ok);
  const skipped = results.filter((r) => r.skipped).length;
  log(`report: ${index} (${results.filter((r) => r.ok && !r.skipped).length}/${notebooks.length} notebooks ok${skipped ? `, ${skipped} skipped` : ''}, ${totalSeconds.toFixed(1)} s)`);
  return { ok, outDir, index, results };
}
