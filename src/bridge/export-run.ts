/**
 * The bridge to a real run (paper scale): a folder with everything a GPU cluster needs to
 * run the paper's recipe with the Stanford Alpaca trainer under `torchrun` and PyTorch
 * FSDP. xalign trains nothing here; it writes
 *
 * - `data/`: the training datasets under the public code's names as Alpaca JSON
 *   (`translation_xalign_en-XX.json`: the built corpus's whole train split as translation
 *   instructions; `alpaca_XX.json` where the local registry has it) and
 *   `dataset_spec.txt`, the `+`-joined specification with slices that selects the run's
 *   records (`alpaca_en+alpaca_zh+translation_xalign_en-zh[0:1000]`);
 * - `build_train_json.py`: resolves that specification into one shuffled `train.json`
 *   (the trainer reads one file);
 * - `eval/`: each language's test split, line-aligned (`en-XX.en`, `en-XX.XX`) and as
 *   prompts (`translation_en-XX.jsonl`), for predictions to bring back with `xalign ingest`;
 * - `launch.sh`: the public code's settings, the per-device batch and accumulation
 *   computed from the GPU count so the global batch stays 128; `--dry-run` prints them;
 * - `README.md` (what to install, the one command, where outputs go) and `export.json`
 *   (what was asked, what was written, the commit).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDatasetSpec } from '../data/spec';
import { type Pair, writeParallel } from '../data/parallel';
import { type AlpacaRecord, writeAlpaca, writeJsonl } from '../data/records';
import { type Dataset, loadInstructions, loadTranslation } from '../data/registry';
import { LANGUAGE_NAMES, translationInstruction, translationRecords } from '../data/mixture';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { gitCommit } from '../provenance';

/** The recipes a run can be exported for (notebook 02's conditions, at paper scale). */
export const EXPORT_RECIPES = ['en-only', 'bilingual', 'bilingual+translation'] as const;
export type ExportRecipe = (typeof EXPORT_RECIPES)[number];

/** The public code's training settings (3 epochs, lr 2e-5, global batch 128, cosine, warm-up 0.03, bf16, length 512). */
export const PAPER_TRAINING = {
  epochs: 3,
  learningRate: 2e-5,
  globalBatch: 128,
  maxPerDeviceBatch: 4,
  scheduler: 'cosine',
  warmupRatio: 0.03,
  weightDecay: 0,
  maxLength: 512,
  precision: 'bf16',
} as const;

/** The trainer the launch script drives, and the version its arguments were written against. */
export const TRAINER = {
  script: 'train.py of tatsu-lab/stanford_alpaca (github.com/tatsu-lab/stanford_alpaca)',
  writtenAgainst: "the repository's 2023 train.py: Hugging Face TrainingArguments plus --model_name_or_path, --data_path (one Alpaca JSON file) and --model_max_length; transformers 4.28, torch 2.0",
} as const;

export interface ExportRunOptions {
  recipe: ExportRecipe;
  /** Target languages: one gives a bilingual run, several one multilingual run. */
  langs: readonly string[];
  /**
   * Translation pairs per language (the recipe only), one count for each language (0:
   * none), or a function of the pairs each language's corpus has (e.g. an allocation
   * capped at them); absent: every train pair the corpus has.
   */
  pairs?: Readonly<Record<string, number>> | ((available: Readonly<Record<string, number>>) => Readonly<Record<string, number>>);
  registry: ReadonlyMap<string, Dataset>;
  out: string;
  /** Seed of train.json's shuffle. */
  seed: number;
  /** The command that wrote the folder (provenance). */
  command: string;
}

export interface ExportedRun {
  dir: string;
  spec: string;
  /** Translation pairs per language in the spec (empty without the translation task). */
  pairs: Record<string, number>;
  /** Records the spec selects, per dataset name (instruction datasets not present locally: null). */
  records: Record<string, number | null>;
  /** Instruction datasets the spec names that the local registry lacks: the cluster must supply them. */
  missing: string[];
  files: string[];
}

/** The per-device batch (at most 4) and accumulation steps that keep the global batch at 128 on `gpus` GPUs; null when no split exists. */
export function batchSplit(gpus: number, globalBatch: number = PAPER_TRAINING.globalBatch, maxPerDevice: number = PAPER_TRAINING.maxPerDeviceBatch): { perDevice: number; accumulation: number } | null {
  if (!Number.isInteger(gpus) || gpus < 1) return null;
  for (let per = maxPerDevice; per >= 1; per--) if (globalBatch % (per * gpus) === 0) return { perDevice: per, accumulation: globalBatch / (per * gpus) };
  return null;
}

/** The dataset specification of a recipe: English instructions, the X instructions, the pairs as slices of each language's translation set. */
export function recipeSpec(recipe: ExportRecipe, langs: readonly string[], pairs: Readonly<Record<string, number>>): string {
  const parts = ['alpaca_en'];
  if (recipe !== 'en-only') parts.push(...langs.map((l) => `alpaca_${l}`));
  if (recipe === 'bilingual+translation') parts.push(...langs.filter((l) => (pairs[l] ?? 0) > 0).map((l) => `translation_xalign_en-${l}[0:${pairs[l]}]`));
  return parts.join('+');
}

/** Writes the run folder; see the module comment. Errors name the language, dataset or count at fault. */
export function exportRun(o: ExportRunOptions): ExportedRun {
  if (o.langs.length === 0) throw new RangeError('export run: --lang names no language');
  for (const l of o.langs) {
    if (l === 'en') throw new RangeError('export run: --lang takes target languages; English is always in the mix');
    if (!o.registry.has(`translation_xalign_en-${l}`)) throw new RangeError(`export run: no corpus for "${l}" (translation_xalign_en-${l}); build it with: npx xalign data build --lang ${l}`);
  }
  const train: Record<string, Pair[]> = Object.fromEntries(o.langs.map((l) => [l, loadTranslation(o.registry.get(`translation_xalign_en-${l}`)!)]));
  const asked = typeof o.pairs === 'function' ? o.pairs(Object.fromEntries(o.langs.map((l) => [l, train[l]!.length]))) : o.pairs;
  const pairs: Record<string, number> = {};
  if (o.recipe === 'bilingual+translation') {
    for (const l of Object.keys(asked ?? {})) if (!o.langs.includes(l)) throw new RangeError(`export run: pairs given for "${l}", which is not among --lang (${o.langs.join(', ')})`);
    for (const l of o.langs) {
      // a count per language is the whole answer: a language left out is a mistake, not "all its pairs"
      if (asked && asked[l] === undefined) throw new RangeError(`export run: the pairs give no count for ${l} (give every --lang one; 0 for none)`);
      const n = asked ? asked[l]! : train[l]!.length;
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`export run: pairs for ${l} must be an integer >= 0, got ${n}`);
      if (n > train[l]!.length) throw new RangeError(`export run: ${n} pairs asked for ${l}, the corpus has ${train[l]!.length} (translation_xalign_en-${l})`);
      if (n > 0) pairs[l] = n;
    }
    if (Object.keys(pairs).length === 0) throw new RangeError('export run: the recipe needs translation pairs in at least one language');
  } else if (asked && Object.keys(asked).length) throw new RangeError(`export run: recipe ${o.recipe} has no translation task; leave the pairs out`);
  const spec = recipeSpec(o.recipe, o.langs, pairs);
  const dir = path.resolve(o.out);
  const files: string[] = [];
  const write = (rel: string, text: string, mode?: number) => {
    writeFileAtomic(path.join(dir, rel), text);
    if (mode !== undefined) fs.chmodSync(path.join(dir, rel), mode);
    files.push(rel);
  };
  const records: Record<string, number | null> = {};
  const missing: string[] = [];
  for (const item of parseDatasetSpec(spec)) {
    const rel = path.join('data', `${item.name}.json`);
    if (item.name.startsWith('translation_')) {
      const l = item.name.slice('translation_xalign_en-'.length);
      writeAlpaca(path.join(dir, rel), translationRecords(train[l]!, 'en', l, undefined, item.name));
      files.push(rel);
      records[item.name] = pairs[l]!;
    } else if (o.registry.has(item.name)) {
      const rows: AlpacaRecord[] = loadInstructions(o.registry.get(item.name)!);
      writeAlpaca(path.join(dir, rel), rows);
      files.push(rel);
      records[item.name] = rows.length;
    } else {
      missing.push(item.name);
      records[item.name] = null;
    }
  }
  write('data/dataset_spec.txt', `${spec}\n`);
  for (const l of o.langs) {
    const test = o.registry.get(`translation_xalign_en-${l}_test`);
    if (!test) continue;
    const rows = loadTranslation(test);
    writeParallel(path.join(dir, 'eval', `en-${l}`), 'en', l, rows);
    writeJsonl(path.join(dir, 'eval', `translation_en-${l}.jsonl`), rows.map((p, i) => ({ id: `en-${l}_${i}`, instruction: translationInstruction('en', l), input: p.src, output: p.tgt })));
    files.push(`eval/en-${l}.en`, `eval/en-${l}.${l}`, `eval/translation_en-${l}.jsonl`);
  }
  write('build_train_json.py', BUILD_TRAIN_JSON, 0o755);
  write('launch.sh', launchScript(o.seed), 0o755);
  const names = o.langs.map((l) => `translation_${l}${pairs[l] ? `_p${pairs[l]}` : ''}_sS.jsonl`);
  write('README.md', folderReadme({ spec, recipe: o.recipe, langs: o.langs, missing, command: o.command, names }));
  const result: ExportedRun = { dir, spec, pairs, records, missing, files: [...files, 'export.json'] };
  writeJsonAtomic(path.join(dir, 'export.json'), {
    recipe: o.recipe, langs: o.langs, spec, pairs, records, missing, seed: o.seed, training: PAPER_TRAINING, trainer: TRAINER,
    commit: gitCommit(), time: new Date().toISOString(), command: o.command,
  });
  return result;
}

/** Python (3.8+, standard library only): resolves data/dataset_spec.txt into one shuffled train.json. */
const BUILD_TRAIN_JSON = `#!/usr/bin/env python3
"""Resolves data/dataset_spec.txt (names joined with '+', each with an optional [start:end]
slice) into train.json: the records of data/NAME.json, sliced, concatenated in spec order,
then shuffled with the seed given. Written by xalign export run."""
import json, os, random, re, sys

def main(folder, seed, out):
    spec_file = os.path.join(folder, 'data', 'dataset_spec.txt')
    spec = open(spec_file, encoding='utf-8').read().strip()
    records = []
    for part in spec.split('+'):
        m = re.fullmatch(r'([A-Za-z0-9_.-]+)(?:\\[(-?\\d+)?:(-?\\d+)?\\])?', part.strip())
        if not m:
            sys.exit(f'{spec_file}: cannot read "{part}" (NAME or NAME[start:end])')
        name, start, end = m.group(1), m.group(2), m.group(3)
        path = os.path.join(folder, 'data', name + '.json')
        if not os.path.exists(path):
            sys.exit(f'{path}: missing; the dataset "{name}" must be supplied (see README.md)')
        rows = json.load(open(path, encoding='utf-8'))
        # Python's slice, negative bounds counting from the end (as the spec's own parser reads them)
        rows = rows[slice(int(start) if start else None, int(end) if end else None)]
        for r in rows:
            records.append({k: r.get(k, '') for k in ('instruction', 'input', 'output')})
    random.Random(seed).shuffle(records)
    json.dump(records, open(out, 'w', encoding='utf-8'), ensure_ascii=False)
    print(f'{len(records)} records from {spec} -> {out}')

if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
`;

function launchScript(seed: number): string {
  const t = PAPER_TRAINING;
  return `#!/usr/bin/env bash
# Runs the recipe of this folder with ${TRAINER.script}
# under torchrun and PyTorch FSDP, with the public code's settings. Written by xalign export run.
#
#   MODEL=/path/to/llama-7b ALPACA=/path/to/stanford_alpaca bash launch.sh [--dry-run]
#
# NGPUS (default: the devices of CUDA_VISIBLE_DEVICES, else the GPUs nvidia-smi lists) sets the processes; the per-device batch (at
# most ${t.maxPerDeviceBatch}) and gradient accumulation are computed so that the global batch stays ${t.globalBatch}.
# OUT (default: ./output) receives the checkpoints and train.json.
set -euo pipefail
cd "$(dirname "$0")"
DRY=0
[ "\${1:-}" = "--dry-run" ] && DRY=1
if [ -z "\${NGPUS:-}" ]; then
  if [ -n "\${CUDA_VISIBLE_DEVICES:-}" ]; then NGPUS=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\\n' | grep -c .)
  else NGPUS=$( (nvidia-smi -L 2>/dev/null || true) | grep -c '^GPU ' || true); fi
fi
if ! [[ "$NGPUS" =~ ^[1-9][0-9]*$ ]]; then echo "launch.sh: NGPUS must be a positive integer (no GPU found: set NGPUS)" >&2; exit 2; fi
GLOBAL=${t.globalBatch}
PER=${t.maxPerDeviceBatch}
while [ "$PER" -ge 1 ] && [ $((GLOBAL % (PER * NGPUS))) -ne 0 ]; do PER=$((PER - 1)); done
if [ "$PER" -lt 1 ]; then echo "launch.sh: no per-device batch <= ${t.maxPerDeviceBatch} gives a global batch of $GLOBAL on $NGPUS GPUs" >&2; exit 2; fi
ACCUM=$((GLOBAL / (PER * NGPUS)))
OUT=\${OUT:-./output}
echo "gpus $NGPUS per_device_batch $PER accumulation $ACCUM global_batch $((PER * ACCUM * NGPUS))"
CMD=(torchrun --nproc_per_node="$NGPUS" "\${ALPACA:-stanford_alpaca}/train.py"
  --model_name_or_path "\${MODEL:-MODEL}" --data_path "$OUT/train.json" --output_dir "$OUT"
  --bf16 True --num_train_epochs ${t.epochs} --per_device_train_batch_size "$PER" --gradient_accumulation_steps "$ACCUM"
  --learning_rate ${t.learningRate.toExponential()} --weight_decay ${t.weightDecay} --warmup_ratio ${t.warmupRatio} --lr_scheduler_type ${t.scheduler}
  --model_max_length ${t.maxLength} --evaluation_strategy no --save_strategy epoch --logging_steps 10
  --fsdp "full_shard auto_wrap" --fsdp_transformer_layer_cls_to_wrap LlamaDecoderLayer --tf32 True)
if [ "$DRY" = 1 ]; then printf '%q ' "\${CMD[@]}"; echo; exit 0; fi
: "\${MODEL:?set MODEL to the base model (a Hugging Face folder or name)}"
: "\${ALPACA:?set ALPACA to a checkout of github.com/tatsu-lab/stanford_alpaca}"
mkdir -p "$OUT"
python3 build_train_json.py . ${seed} "$OUT/train.json"
"\${CMD[@]}"
`;
}

function folderReadme(o: { spec: string; recipe: ExportRecipe; langs: readonly string[]; missing: string[]; command: string; names: string[] }): string {
  const names = o.langs.map((l) => LANGUAGE_NAMES[l] ?? l).join(', ');
  return `# A real run of the recipe: ${o.recipe}, ${names}

Written by \`${o.command}\` (xalign). Nothing here was trained; this folder holds what a GPU
machine needs to train it.

- Trainer: ${TRAINER.script}, driven by \`launch.sh\`; written against ${TRAINER.writtenAgainst}.
- Settings (the paper's public code): ${PAPER_TRAINING.epochs} epochs, learning rate ${PAPER_TRAINING.learningRate}, global batch ${PAPER_TRAINING.globalBatch}
  (per-device batch and accumulation computed from the GPU count), cosine schedule, warm-up ${PAPER_TRAINING.warmupRatio},
  weight decay ${PAPER_TRAINING.weightDecay}, bf16, maximum length ${PAPER_TRAINING.maxLength}, FSDP full sharding.
  Per-device batch x accumulation: ${[1, 2, 4, 8].map((g) => { const b = batchSplit(g)!; return `${g} GPU${g > 1 ? 's' : ''} ${b.perDevice} x ${b.accumulation}`; }).join(', ')}.
- Data: \`data/dataset_spec.txt\` = \`${o.spec}\`; each name is \`data/NAME.json\` (Alpaca JSON).
${o.missing.length ? `- **To supply before the run**: ${o.missing.map((m) => `\`data/${m}.json\``).join(', ')} (Alpaca records \`{instruction, input, output}\`: the Alpaca data in English and its machine translation; xalign's machine has none).\n` : ''}
## Install

Python 3.8+, PyTorch 2.0 with CUDA, transformers 4.28, sentencepiece, and a checkout of
github.com/tatsu-lab/stanford_alpaca (its requirements.txt). A LLaMA-family base model.

## Run

\`\`\`sh
MODEL=/path/to/llama-7b ALPACA=/path/to/stanford_alpaca bash launch.sh
\`\`\`

\`bash launch.sh --dry-run\` prints the batch split and the torchrun command without running.
\`NGPUS=N\` overrides the GPU count. Outputs go to \`./output\` (\`OUT=DIR\` to change): \`train.json\`
(the records the spec selects, shuffled) and the trainer's checkpoints, one per epoch.

## Bring the results back

Decode the prompts of \`eval/translation_en-XX.jsonl\` (greedy, as the paper), then write one
JSONL file per task and language, lines \`{"prediction": ..., "reference": ...}\`, in a folder, named
with the run's pairs and seed so that the scaling fit can place them: ${o.names.map((n) => `\`${n}\``).join(', ')}
(S = the seed; \`qa_XX\`, \`knowledge_XX\`, \`summarization_XX\` the same way). Read the folder with
\`npx xalign ingest FOLDER\` (scored with xalign's metrics), or a table \`language,pairs,metric,value,seed\`
with \`npx xalign ingest FILE.csv\`.
`;
}
