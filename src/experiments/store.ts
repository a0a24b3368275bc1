/**
 * The results store of the experiments runner (notebook 02): one JSON file per
 * result under `ROOT/results/`, named by the config hash of the condition it describes,
 * written atomically; working folders (checkpoints, models) under `ROOT/runs/HASH/`.
 * A result carries its provenance (commit, preset, backend, seed, config hash, time,
 * command) and its metrics per task and language. Results export as CSV (one row per
 * result, task, language and metric) or JSON.
 */

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import type { Provenance } from '../provenance';

/** JSON with object keys sorted at every level: the text a config hash is taken of. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON of a described condition, first 16 hex digits. */
export function configHash(spec: unknown): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

/** One score: metric name -> value (0-100 for scores, raw for losses). */
export type MetricValues = Record<string, number>;

/** A stored result. `metrics[task][lang][metric]`. */
export interface ExperimentResult<Spec = unknown> {
  version: 1;
  /** What kind of run: 'pretrain' or 'tune'. */
  kind: string;
  /** A short label, e.g. "tune tr bilingual+translation seed 1". */
  label: string;
  spec: Spec;
  provenance: Provenance;
  metrics: Record<string, Record<string, MetricValues>>;
  /** Training summary: steps, first and final losses, seconds. */
  training: {
    steps: number; losses: number[]; seconds: number;
    /** Positions per second, padding included. */
    tokensPerSec: number;
    /** Real tokens per second, the share of positions that held one, and the examples trained on (runs since the packed batching). */
    realTokensPerSec?: number; nonPaddingShare?: number; examplesSeen?: number;
    resumedFrom?: number;
  };
  /** Extra fields a run wants to keep (e.g. sample outputs). */
  extra?: Record<string, unknown>;
}

export class ResultStore {
  constructor(readonly root: string) {}

  private file(hash: string): string {
    return path.join(this.root, 'results', `${hash}.json`);
  }

  /** Working folder of a run (checkpoints, the trained model). */
  runDir(hash: string): string {
    return path.join(this.root, 'runs', hash);
  }

  has(hash: string): boolean {
    return fs.existsSync(this.file(hash));
  }

  /** The stored result for `hash`, or null. A malformed file is an error naming it. */
  get<S = unknown>(hash: string): ExperimentResult<S> | null {
    const f = this.file(hash);
    if (!fs.existsSync(f)) return null;
    let r: ExperimentResult<S>;
    try {
      r = JSON.parse(fs.readFileSync(f, 'utf8')) as ExperimentResult<S>;
    } catch (e) {
      throw new Error(`${f}: not valid JSON (${(e as Error).message})`);
    }
    if (r.version !== 1 || !r.provenance || r.provenance.configHash !== hash) {
      throw new Error(`${f}: expected a version-1 result whose provenance.configHash is ${hash}`);
    }
    return r;
  }

  /** Writes a result atomically under its config hash. */
  put(result: ExperimentResult): string {
    const f = this.file(result.provenance.configHash);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    writeJsonAtomic(f, result);
    return f;
  }

  /** Every stored result, ordered by time then hash. */
  list(): ExperimentResult[] {
    const dir = path.join(this.root, 'results');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => /^[0-9a-f]{16}\.json$/.test(f))
      .map((f) => this.get(f.slice(0, -5))!)
      .sort((a, b) => a.provenance.time.localeCompare(b.provenance.time) || a.provenance.configHash.localeCompare(b.provenance.configHash));
  }

  /** Writes all results as one JSON array (atomically) and returns the path. */
  exportJson(file: string): string {
    writeJsonAtomic(file, this.list());
    return file;
  }

  /** Writes all results as CSV rows (see {@link resultsToCsv}) and returns the path. */
  exportCsv(file: string): string {
    writeFileAtomic(file, resultsToCsv(this.list()));
    return file;
  }
}

/** The fields a result's spec may carry that the CSV lifts into columns. */
const SPEC_COLUMNS = ['lang', 'condition', 'seed'] as const;

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * One row per (result, task, language, metric): config_hash, kind, label, the spec's
 * lang / condition / seed, task, eval_lang, metric, value, then provenance columns.
 */
export function resultsToCsv(results: readonly ExperimentResult[]): string {
  const head = ['config_hash', 'kind', 'label', ...SPEC_COLUMNS, 'task', 'eval_lang', 'metric', 'value', 'commit', 'preset', 'backend', 'time'];
  const rows = [head.join(',')];
  for (const r of results) {
    const spec = (r.spec ?? {}) as Record<string, unknown>;
    for (const [task, byLang] of Object.entries(r.metrics)) {
      for (const [lang, values] of Object.entries(byLang)) {
        for (const [metric, value] of Object.entries(values)) {
          const p = r.provenance;
          rows.push([p.configHash, r.kind, r.label, ...SPEC_COLUMNS.map((k) => spec[k]), task, lang, metric, value, p.commit, p.preset, p.backend, p.time].map(csvCell).join(','));
        }
      }
    }
  }
  return rows.join('\n') + '\n';
}
