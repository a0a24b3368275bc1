import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../model/checkpoint';
import { generate } from '../../model/generate';
import { encodeInstruction } from '../../model/tokenizer';
import { Rng } from '../../random/rng';
import { sessionFromFlags } from '../../session';
import { latestCheckpoint } from '../../train/trainer';
import { type Command, UsageError } from '../command';
import { numberFlag, SEED_RANGE } from '../inputs';

/** A model folder, a training output folder (OUT/model) or a checkpoints folder (latest.json). */
function resolveModelDir(dir: string): string {
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  if (fs.existsSync(path.join(dir, 'model', 'config.json'))) return path.join(dir, 'model');
  const latest = latestCheckpoint(dir) ?? latestCheckpoint(path.join(dir, 'checkpoints'));
  if (latest) return latest;
  throw new UsageError(`generate: ${dir} holds no model (config.json), OUT/model or checkpoints/latest.json`);
}

export const command: Command = {
  name: 'generate',
  summary: 'continue prompts with a trained model',
  usage: `usage: xalign generate --checkpoint DIR --prompt TEXT [--prompt TEXT ...]
                       [--max-tokens N] [--temperature T] [--top-k K] [--seed S] [--raw] [--json]

Loads the model in DIR (a model folder, a training output folder, or its checkpoints)
and answers each prompt, batched. Prompts are wrapped in the instruction template
unless --raw (plain continuation). Greedy unless --temperature > 0. Generation stops at
the end-of-sequence token or after --max-tokens (default 64).`,
  options: {
    checkpoint: { type: 'string' },
    prompt: { type: 'string', multiple: true },
    'max-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-k': { type: 'string' },
    seed: { type: 'string' },
    raw: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const dir = ctx.flags.checkpoint;
    const prompts = (ctx.flags.prompt as string[] | undefined) ?? [];
    if (typeof dir !== 'string') throw new UsageError('generate: --checkpoint DIR is required');
    if (prompts.length === 0) throw new UsageError('generate: at least one --prompt TEXT is required');
    const empty = prompts.findIndex((p) => p.trim() === '');
    if (empty >= 0) throw new UsageError(`generate: --prompt number ${empty + 1} is empty; there is nothing to answer or continue`);
    // every flag is checked before the backend and the model load
    const options = {
      maxNewTokens: numberFlag(ctx.flags, 'max-tokens', { integer: true, min: 1 }, 'generate') ?? 64,
      temperature: numberFlag(ctx.flags, 'temperature', { min: 0 }, 'generate') ?? 0,
      topK: numberFlag(ctx.flags, 'top-k', { integer: true, min: 0 }, 'generate') ?? 0,
      seed: numberFlag(ctx.flags, 'seed', SEED_RANGE, 'generate') ?? 1,
    };
    const backend = (await sessionFromFlags('generate')).backend;
    const modelDir = resolveModelDir(dir);
    const { model, tokenizer } = loadModel(modelDir);
    if (!tokenizer) throw new UsageError(`generate: ${modelDir} has no tokenizer.json`);
    try {
      const ids = prompts.map((p) => (ctx.flags.raw ? tokenizer.encode(p) : encodeInstruction(tokenizer, p).prompt));
      const max = model.config.maxSeqLen;
      ids.forEach((p, i) => {
        if (p.length >= max) throw new UsageError(`generate: --prompt number ${i + 1} is ${p.length} tokens${ctx.flags.raw ? '' : ' in the instruction template'}; the model reads at most ${max}, leaving no room to generate`);
      });
      const out = await generate(model, ids, {
        maxNewTokens: options.maxNewTokens,
        temperature: options.temperature,
        topK: options.topK,
        rng: new Rng(options.seed),
        stopTokens: [tokenizer.special.eos],
        padToken: tokenizer.special.pad,
      });
      const texts = out.map((o) => tokenizer.decode(o, { skipSpecial: true }));
      return {
        value: { modelDir, backend: backend.name, outputs: prompts.map((p, i) => ({ prompt: p, output: texts[i], tokens: out[i] })) },
        text: prompts.map((p, i) => `> ${p}\n${texts[i]}`).join('\n\n'),
      };
    } finally {
      model.dispose();
    }
  },
};
