/**
 * Summarises pre-training levers of the design study (docs/world.md), side by side:
 * for each results store given, the base model it holds (its probe in every language:
 * strict, any-language and rank held-out fact completion; gamma per language from its
 * representations) and
 * the mean over seeds of its tuning runs per condition in one language.
 *
 *   npx tsx test/bench/design-study.ts --lang el [--preset classroom] \
 *     committed=out/experiments/classroom cs0=out/design/cs0:worldCodeSwitchShare=0 ...
 *
 * Each argument is LABEL=STORE[:SETTINGS], SETTINGS as in `--set` (the lever's change,
 * which picks that store's base spec). A store is filled by
 * `npx xalign experiment run --preset classroom --set SETTINGS --lang el --condition all --seed N --store STORE`
 * (which pre-trains the lever's base model first). The committed base is read from
 * data/world/base-PRESET when the store holds none.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectBackend } from '../../src/backend';
import { parseOverrides, resolvePreset } from '../../src/config/presets';
import { baseSpecFromSettings, committedBaseDir, configHash, modelSimilarity, probeFacts, ResultStore, targetPairs, upgradeResults, type ExperimentResult, type TuneSpec } from '../../src/experiments';
import { loadModel } from '../../src/model';
import { buildWorld } from '../../src/world';

const SCORES: [string, string, string][] = [
  ['translation', 'chrf', 'X'], ['knowledge', 'contains', 'X'], ['knowledge', 'containsAny', 'X'], ['qa', 'contains', 'X'], ['qa', 'containsAny', 'X'],
  ['summarization', 'rougeL', 'X'], ['knowledge', 'contains', 'en'], ['qa', 'contains', 'en'], ['knowledge', 'containsNative', 'X'],
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    if (i < 0) return dflt;
    const v = args[i + 1];
    args.splice(i, 2);
    if (!v) throw new Error(`--${name} needs a value`);
    return v;
  };
  const lang = flag('lang', 'el');
  const presetName = flag('preset', 'classroom');
  if (args.length === 0) throw new Error('usage: design-study.ts --lang X [--preset P] LABEL=STORE[:k=v,...] ...');
  await selectBackend(process.env.XALIGN_BACKEND ?? 'wasm');
  const rows: Record<string, unknown>[] = [];
  for (const arg of args) {
    const m = /^([^=]+)=([^:]+)(?::(.*))?$/.exec(arg);
    if (!m) throw new Error(`argument "${arg}": expected LABEL=STORE[:k=v,...]`);
    const [, label, storeDir, settings] = m;
    const preset = resolvePreset(presetName, settings ? parseOverrides(settings, `argument "${arg}"`) : {});
    const spec = baseSpecFromSettings(preset.settings);
    const hash = configHash(spec);
    const inStore = path.join(storeDir!, 'runs', hash, 'model');
    const dir = fs.existsSync(inStore) ? inStore : committedBaseDir(presetName);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    if (manifest.configHash !== hash) throw new Error(`${label}: no base ${hash} in ${storeDir} and the committed one is ${manifest.configHash}`);
    const loaded = loadModel(dir);
    const world = buildWorld(spec.world);
    const probe = await probeFacts(loaded.model, loaded.tokenizer!, world, spec.probe.langs, spec.probe.n);
    const gammas: Record<string, number> = {};
    for (const l of world.languages) gammas[l] = +(await modelSimilarity(loaded.model, loaded.tokenizer!, world, l)).gamma.toFixed(3);
    loaded.model.dispose();
    const tunes = upgradeResults(new ResultStore(storeDir!).list()).filter((r): r is ExperimentResult<TuneSpec> =>
      r.kind === 'tune' && configHash((r.spec as TuneSpec).base) === hash && (r.spec as TuneSpec).lang === lang && !(r.spec as TuneSpec).data.real
      && targetPairs(r.spec as TuneSpec) === ((r.spec as TuneSpec).condition === 'bilingual+translation' ? preset.settings.worldTranslationPairs : 0));
    const versions = [...new Set(tunes.map((r) => r.spec.version))];
    if (versions.length > 1) throw new Error(`${label}: ${storeDir} holds tuning results of spec versions ${versions.join(' and ')}; use one store per version`);
    const row: Record<string, unknown> = {
      label, base: hash, specVersion: versions[0] ?? null, finalLoss: +manifest.finalLoss.toFixed(3),
      ...Object.fromEntries(Object.entries(probe).map(([l, m]) => [`probe ${l} strict/any/rank`, `${m.contains!.toFixed(1)} / ${m.containsAny!.toFixed(1)} / ${m.rank!.toFixed(1)}`])),
      ...Object.fromEntries(Object.entries(gammas).map(([l, g]) => [`gamma ${l}`, g])),
    };
    for (const c of ['en-only', 'bilingual', 'bilingual+translation'] as const) {
      const runs = tunes.filter((r) => r.spec.condition === c);
      row[`${c} seeds`] = runs.map((r) => r.spec.seed).sort((a, b) => a - b).join(',');
      for (const [task, metric, where] of SCORES) {
        const vals = runs.map((r) => r.metrics[task]?.[where === 'X' ? lang : 'en']?.[metric]).filter((v): v is number => v !== undefined);
        row[`${c} ${task} ${metric} ${where}`] = vals.length ? +(vals.reduce((a, b) => a + b, 0) / vals.length).toFixed(1) : null;
      }
    }
    rows.push(row);
  }
  process.stdout.write(JSON.stringify(rows, null, 1) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
