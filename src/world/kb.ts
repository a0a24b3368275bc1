/**
 * The knowledge base of the miniature world: people, each with one value per relation
 * (job, pet, food, instrument, optionally town), generated from a seed.
 *
 * A share of the people is *held out*: their facts are stated in English pre-training
 * text only, never in any target language (src/world/corpus.ts), so asking for them in
 * a target language tests whether knowledge crosses from English (the mLAMA-style
 * knowledge-infilling task, paper Section 4.1 and Table 2; the design study in
 * docs/world.md). Serves notebook 02.
 */

import { Rng } from '../random/rng';
import { ENGLISH_POS, RELATIONS, type RelationId } from './english';

export interface Person {
  /** Index in {@link KnowledgeBase.people}. */
  id: number;
  name: string;
  /** Held out: facts never stated in a target language. */
  heldOut: boolean;
  facts: Partial<Record<RelationId, string>>;
}

export interface KnowledgeBaseOptions {
  seed: number;
  /** Number of people. */
  people: number;
  /** Relations every person has a value for, in order. */
  relations: readonly RelationId[];
  /** Distinct values drawn per relation (at most the relation's list; towns are generated). */
  valuesPerRelation: number;
  /** Share of people held out, in [0, 1). */
  heldOutShare: number;
}

export interface KnowledgeBase {
  options: KnowledgeBaseOptions;
  people: Person[];
  /** The values in use per relation. */
  values: Record<RelationId, string[]>;
  /** Generated town names (values of `city`, and places in filler text). */
  towns: string[];
}

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'h', 'j'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u'];

/**
 * Draws proper names (Latin letters, capitalised, 2-3 CV syllables, a coda for towns)
 * that are unique, never an English word of the world, and not in `taken`.
 */
export class NameGenerator {
  constructor(
    private readonly rng: Rng,
    readonly taken: Set<string> = new Set(),
  ) {}

  next(kind: 'person' | 'town' = 'person'): string {
    for (let attempt = 0; attempt < 10000; attempt++) {
      const syllables = 2 + (this.rng.float() < 0.35 ? 1 : 0);
      let s = '';
      for (let i = 0; i < syllables; i++) s += this.rng.choice(ONSETS) + this.rng.choice(NUCLEI);
      if (kind === 'town') s += this.rng.choice(['n', 'r', 'l', 's']);
      const name = s[0]!.toUpperCase() + s.slice(1);
      if (this.taken.has(name) || ENGLISH_POS[s] !== undefined) continue;
      this.taken.add(name);
      return name;
    }
    throw new Error('NameGenerator: no unused name left after 10000 draws');
  }
}

/** Checks options; errors name the field and what was expected. */
function checkOptions(o: KnowledgeBaseOptions): void {
  if (!Number.isInteger(o.people) || o.people < 2) throw new RangeError(`world: people must be an integer >= 2, got ${o.people}`);
  if (!(o.heldOutShare >= 0 && o.heldOutShare < 1)) throw new RangeError(`world: heldOutShare must be in [0, 1), got ${o.heldOutShare}`);
  if (!Number.isInteger(o.valuesPerRelation) || o.valuesPerRelation < 2) {
    throw new RangeError(`world: valuesPerRelation must be an integer >= 2, got ${o.valuesPerRelation}`);
  }
  if (o.relations.length === 0) throw new RangeError('world: relations must name at least one relation');
  for (const r of o.relations) {
    if (!RELATIONS[r]) throw new RangeError(`world: unknown relation "${r}"; expected one of ${Object.keys(RELATIONS).join(', ')}`);
    const max = RELATIONS[r].valueKind === 'name' ? 200 : new Set(RELATIONS[r].values).size;
    if (o.valuesPerRelation > max) throw new RangeError(`world: valuesPerRelation ${o.valuesPerRelation} exceeds the ${max} values of relation "${r}"`);
  }
}

/** Builds the knowledge base; the same options give the same people, values and held-out set. */
export function buildKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  checkOptions(options);
  const rng = new Rng(options.seed).fork('world:kb');
  const names = new NameGenerator(rng.fork('names'));
  const towns = Array.from({ length: Math.max(options.valuesPerRelation, 8) }, () => names.next('town'));
  const values = {} as Record<RelationId, string[]>;
  const pick = rng.fork('values');
  for (const r of Object.keys(RELATIONS) as RelationId[]) {
    const pool = RELATIONS[r].valueKind === 'name' ? towns : [...new Set(RELATIONS[r].values)];
    values[r] = pick.shuffle([...pool]).slice(0, options.valuesPerRelation);
  }
  const factsRng = rng.fork('facts');
  const people: Person[] = [];
  for (let id = 0; id < options.people; id++) {
    const facts: Partial<Record<RelationId, string>> = {};
    for (const r of options.relations) facts[r] = factsRng.choice(values[r]);
    people.push({ id, name: names.next('person'), heldOut: false, facts });
  }
  const order = rng.fork('held-out').shuffle(people.map((p) => p.id));
  const nHeld = Math.round(options.heldOutShare * options.people);
  for (const id of order.slice(0, nHeld)) people[id]!.heldOut = true;
  return { options: { ...options, relations: [...options.relations] }, people, values, towns };
}

/** A person outside the knowledge base (contexts, passages, translation sentences): known only from the text that mentions them. */
export interface Stranger {
  name: string;
  facts: Partial<Record<RelationId, string>>;
}

/**
 * Draws `n` strangers with values from the knowledge base's value sets. Their names
 * never collide with the base's people or towns, so a stranger's facts can be read only
 * from the context that states them (the copying skill of context QA, XQuAD/MLQA).
 */
export function drawStrangers(kb: KnowledgeBase, rng: Rng, n: number): Stranger[] {
  const taken = new Set([...kb.people.map((p) => p.name), ...kb.towns]);
  const names = new NameGenerator(new Rng(rng.nextUint32()), taken);
  const out: Stranger[] = [];
  for (let i = 0; i < n; i++) {
    const facts: Partial<Record<RelationId, string>> = {};
    for (const r of kb.options.relations) facts[r] = rng.choice(kb.values[r]);
    out.push({ name: names.next('person'), facts });
  }
  return out;
}
