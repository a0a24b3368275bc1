/**
 * Entry of the self-contained laboratory bundle for the GPU test machine
 * (test/bench/gpu/build-lab-bundle.sh bundles it with esbuild; that machine has no
 * Node.js packages). It records a longer run of notebook 02's grid than the notebook
 * can afford on a laptop, for the notebook to show under a "recorded" label:
 *
 *   node lab.cjs grid --preset P [--set k=v ...] --base DIR --store DIR --workers N [--minutes M] [--backend B] [--extra-langs a,b] [--multilingual] [--grid-only]
 *   node lab.cjs worker        (started by the pool; reads one job on stdin)
 *
 * `grid` measures gamma on the base model, then runs the three conditions for every
 * language of `labLanguages` and seed, then their scaling series, then the scaling
 * series and the grid of `--extra-langs`, in that order, `workers` processes at a time,
 * starting no new run after M minutes. With --multilingual it then fits the laws to the
 * series and trains notebook 05's arms (src/experiments/multilingual.ts) in the time
 * left. With --grid-only it runs the paired grid of `labGridLanguages` and nothing else
 * (e.g. an ablation of a pre-training setting; gamma is still measured in every
 * language named). It writes STORE/recorded.json: the command,
 * machine, backend, commit (XALIGN_COMMIT), times, gamma per language and which specs
 * finished. Every finished run is a normal result file of the store.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../../src/backend';
import { parseOverrides, resolvePreset } from '../../../src/config/presets';
import {
  CONDITIONS, configHash, targetPairs, ResultStore, runPretrain, runTunePool, scalingSpecs, tuneCommand, tuneSpecFromSettings,
  baseSpecFromSettings, workerMain, labAllocations, measuredLaws, modelGammas, multilingualPlan, type TuneSpec,
} from '../../../src/experiments';
import { writeJsonAtomic } from '../../../src/io/atomic';
import { gitCommit } from '../../../src/provenance';
import { buildWorld } from '../../../src/world';

async function grid(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      preset: { type: 'string', default: 'classroom' },
      set: { type: 'string', multiple: true },
      base: { type: 'string' },
      store: { type: 'string' },
      workers: { type: 'string', default: '4' },
      minutes: { type: 'string', default: '8' },
      backend: { type: 'string', default: 'webgpu' },
      'extra-langs': { type: 'string', default: '' },
      multilingual: { type: 'boolean', default: false },
      'grid-only': { type: 'boolean', default: false },
    },
  });
  const t0 = Date.now();
  if (values['grid-only'] && values.multilingual) throw new Error('lab.cjs grid: --grid-only runs no scaling series, which --multilingual needs for its laws; give one of them');
  const [workers, minutes] = [Number(values.workers), Number(values.minutes)];
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`lab.cjs grid: --workers must be a positive integer, got "${values.workers}"`);
  if (!(minutes > 0)) throw new Error(`lab.cjs grid: --minutes must be a positive number, got "${values.minutes}"`);
  const preset = resolvePreset(values.preset, parseOverrides((values.set ?? []).join(','), '--set'), '--set');
  const S = preset.settings;
  const store = new ResultStore(path.resolve(values.store ?? 'out/recorded'));
  const backend = await selectBackend(values.backend);
  const log = (s: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
  log(`backend ${backend.name}: ${backend.reason}`);
  const baseDir = values.base ? path.resolve(values.base) : undefined;
  const base = await runPretrain(baseSpecFromSettings(S), { store, preset: preset.name, backend: backend.name, baseDir });
  const world = buildWorld(baseSpecFromSettings(S).world);
  const extra = values['extra-langs']!.split(',').filter((l) => l !== '' && !S.labLanguages.includes(l));
  const gamma = await modelGammas(base.modelDir, world, [...S.labLanguages, ...extra]);
  log(`gamma ${JSON.stringify(gamma)}`);
  const seeds = Array.from({ length: S.seeds }, (_, i) => S.seed + i);
  const gridOf = (langs: readonly string[]) => langs.flatMap((lang) => seeds.flatMap((seed) => CONDITIONS.map((condition) => tuneSpecFromSettings(S, { lang, condition, seed }))));
  const specs = values['grid-only'] ? gridOf(S.labGridLanguages) : [...gridOf(S.labLanguages), ...scalingSpecs(S, S.labLanguages), ...scalingSpecs(S, extra), ...gridOf(extra)];
  let unique = [...new Map(specs.map((s) => [configHash(s), s])).values()];
  const started = new Date().toISOString();
  const cpus = os.cpus();
  const finished: string[] = [];
  // written after every finished run (and at the end), with all results in one file, so
  // a run cut short by a time-out still leaves a complete, small record
  const record = (missing: string[]) => {
    store.exportJson(path.join(store.root, 'results.json'));
    writeJsonAtomic(path.join(store.root, 'recorded.json'), {
      command: `node lab.cjs ${process.argv.slice(2).join(' ')} (test/bench/gpu/lab-entry.ts; bundle: test/bench/gpu/build-bundle.sh)`,
      commit: gitCommit(), preset: preset.name, overrides: Object.fromEntries(preset.overridden.map((k) => [k, (S as unknown as Record<string, unknown>)[k]])),
      backend: backend.name, backendDetail: backend.reason,
      machine: { platform: os.platform(), arch: os.arch(), cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.versions.node, gpu: process.env.XALIGN_GPU_NAME ?? null },
      started, seconds: (Date.now() - t0) / 1000, workers,
      gamma, specs: unique.length, finished: [...finished], missing, settings: S,
    });
  };
  let done = 0;
  const pool = (phase: TuneSpec[]) => runTunePool(phase, {
    store, preset: preset.name, backend: backend.name, baseDir, workers, gpuWorkers: workers,
    workerArgv: [process.argv[1]!, 'worker'],
    stopAt: t0 + minutes * 60_000,
    commandFor: (spec) => tuneCommand(preset, spec),
    onProgress: (i, e) => {
      if (e.type !== 'done' && e.type !== 'reused') return;
      finished.push(configHash(phase[i]!));
      if (e.type === 'done') log(`${++done}/${unique.length} ${phase[i]!.lang} ${phase[i]!.condition} seed ${phase[i]!.seed} pairs ${targetPairs(phase[i]!)} steps ${phase[i]!.train.steps + (phase[i]!.data.continued?.steps ?? 0)} in ${e.seconds.toFixed(0)} s`);
      record(unique.filter((s) => !finished.includes(configHash(s))).map((s) => configHash(s)));
    },
  });
  let out = await pool(unique);
  if (values.multilingual && out.missing.length === 0) {
    // notebook 05's arms, with the laws of the series just recorded
    const series = scalingSpecs(S, S.labLanguages).map((s) => store.get<TuneSpec>(configHash(s))!);
    const { laws } = measuredLaws(series, gamma, S);
    const more = multilingualPlan(S, labAllocations(laws, S.allocationBudget, S.allocationMethods)).all.filter((s) => !unique.some((u) => configHash(u) === configHash(s)));
    unique = [...unique, ...more];
    log(`multilingual: ${more.length} more runs`);
    out = await pool(more);
  }
  record(unique.filter((s) => !finished.includes(configHash(s))).map((s) => configHash(s)));
  log(`finished ${finished.length} of ${unique.length} runs (${unique.length - finished.length} not started before the deadline)`);
}

const sub = process.argv[2];
(sub === 'worker' ? workerMain() : sub === 'grid' ? grid() : Promise.reject(new Error(`usage: lab.cjs grid|worker (got ${sub ?? 'nothing'})`))).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
