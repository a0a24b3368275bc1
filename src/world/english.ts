/**
 * The closed English vocabulary of the miniature world: every word the grammar can
 * write, with its part of speech, and the value sets of the knowledge base's relations.
 *
 * The world is "English-dominated by construction" (the paper's Section 1
 * premise that the LLM knows much in English and little elsewhere): all text starts as
 * English from these words, and each target language is derived from it word by word
 * (src/world/transduce.ts), so the transduction can map every word.
 */

/** Parts of speech the chunker (src/world/grammar.ts) and the transduction know. */
export type Pos =
  | 'name' // proper names (people, towns): shared with English unless a language transliterates
  | 'num' // numbers written in digits
  | 'noun'
  | 'adj'
  | 'det' // a, the, every, many, which (wh-determiner is 'whdet')
  | 'whdet'
  | 'wh' // what, where, who
  | 'verb'
  | 'aux' // does, can
  | 'prep'
  | 'conj' // and
  | 'pron'
  | 'blank' // ___ , the cloze gap of the knowledge-infilling task
  | 'punct';

/** Relation ids of the knowledge base. */
export type RelationId = 'job' | 'pet' | 'food' | 'instrument' | 'city';
export const RELATION_IDS: readonly RelationId[] = ['job', 'pet', 'food', 'instrument', 'city'];

/**
 * One relation: its values and how the grammar states and asks it. `{N}` is the
 * person, `{V}` the value (with its article where the template writes one).
 * `valueKind: 'name'` values are proper names, shared by every language that shares
 * names: such a relation is the "answer values shared by both languages" control of the
 * design study (docs/world.md).
 */
export interface RelationSpec {
  id: RelationId;
  valueKind: 'noun' | 'name';
  values: readonly string[];
  /** Statement templates (declarative sentences). The first is the canonical one. */
  statements: readonly string[];
  /** Wh-questions asking for the value. */
  questions: readonly string[];
  /** Cloze templates for knowledge infilling (mLAMA): `___` marks the gap. */
  cloze: readonly string[];
}

export const RELATIONS: Record<RelationId, RelationSpec> = {
  job: {
    id: 'job',
    valueKind: 'noun',
    values: [
      'baker', 'farmer', 'teacher', 'doctor', 'singer', 'painter', 'sailor', 'driver', 'writer', 'hunter',
      'builder', 'dancer', 'judge', 'nurse', 'pilot', 'tailor', 'miner', 'cook', 'guard', 'poet',
      'potter', 'weaver', 'barber', 'clerk', 'fisher', 'smith', 'priest', 'soldier', 'herder', 'mason',
    ],
    statements: ['{N} works as a {V} .', '{N} is a {V} .', '{N} earns money as a {V} .'],
    questions: ['What does {N} work as ?', 'Which job does {N} have ?'],
    cloze: ['{N} works as a ___ .', '{N} is a ___ .'],
  },
  pet: {
    id: 'pet',
    valueKind: 'noun',
    values: [
      'cat', 'dog', 'horse', 'goat', 'parrot', 'rabbit', 'duck', 'sheep', 'mouse', 'snake',
      'fox', 'owl', 'frog', 'crow', 'turtle', 'camel', 'donkey', 'pig', 'cow', 'bee',
      'hen', 'lizard', 'hawk', 'deer', 'wolf', 'bear', 'swan', 'goose', 'mule', 'crab',
    ],
    statements: ['{N} keeps a {V} .', '{N} has a {V} at home .', '{N} cares for a {V} .'],
    questions: ['Which animal does {N} keep ?', 'What does {N} keep at home ?'],
    cloze: ['{N} keeps a ___ .', '{N} has a ___ at home .'],
  },
  food: {
    id: 'food',
    valueKind: 'noun',
    values: [
      'bread', 'rice', 'soup', 'cheese', 'honey', 'fish', 'beans', 'apples', 'plums', 'grapes',
      'corn', 'nuts', 'eggs', 'milk', 'tea', 'lentils', 'dates', 'figs', 'olives', 'pears',
      'melons', 'carrots', 'onions', 'noodles', 'butter', 'yogurt', 'cherries', 'peas', 'lemons', 'cake',
    ],
    statements: ['{N} likes {V} .', '{N} eats {V} every day .', '{N} loves {V} .'],
    questions: ['Which food does {N} like ?', 'What does {N} eat every day ?'],
    cloze: ['{N} likes ___ .', '{N} eats ___ every day .'],
  },
  instrument: {
    id: 'instrument',
    valueKind: 'noun',
    values: [
      'drum', 'flute', 'harp', 'violin', 'piano', 'guitar', 'horn', 'lute', 'bell', 'organ',
      'trumpet', 'cello', 'banjo', 'oboe', 'tuba', 'zither', 'fiddle', 'gong', 'pipe', 'bagpipe',
      'sitar', 'oud', 'lyre', 'cymbal', 'clarinet', 'bassoon', 'accordion', 'mandolin', 'kazoo', 'ukulele',
    ],
    statements: ['{N} plays the {V} .', '{N} can play the {V} .', '{N} practises the {V} every day .'],
    questions: ['Which instrument does {N} play ?', 'What does {N} play ?'],
    cloze: ['{N} plays the ___ .', '{N} can play the ___ .'],
  },
  city: {
    id: 'city',
    valueKind: 'name',
    values: [], // generated town names (src/world/kb.ts)
    statements: ['{N} lives in {V} .', '{N} comes from {V} .', '{N} has a house in {V} .'],
    questions: ['Where does {N} live ?', 'Which town does {N} live in ?'],
    cloze: ['{N} lives in ___ .', '{N} comes from ___ .'],
  },
};

/** Adjectives with their opposites (the Alpaca-style "opposite" instruction). */
export const ADJECTIVE_PAIRS: readonly [string, string][] = [
  ['hot', 'cold'], ['big', 'small'], ['old', 'young'], ['happy', 'sad'], ['fast', 'slow'],
  ['loud', 'quiet'], ['busy', 'calm'], ['rich', 'poor'], ['early', 'late'], ['bright', 'dark'],
  ['clean', 'dirty'], ['kind', 'cruel'],
];

/** Sentences that carry no fact of the knowledge base (passages, pre-training filler); `{K}` is a number. */
export const FILLER_SENTENCES: readonly string[] = [
  'The market was busy .', 'The day was cold .', 'Many people came to the square .', 'The night was quiet .',
  'A festival began in the town .', 'The news spread fast .', 'The road was long and dark .',
  'Nobody expected the news .', 'The children played in the park .', 'The weather was hot .',
  'A storm came from the sea .', 'The town was calm .', 'Many people talked about it for days .',
  'The river was slow .', 'A small crowd waited at the gate .', 'The old bridge was busy .',
  'The festival lasted {K} days .', 'The market had {K} stalls .', 'The bridge had {K} lamps .',
];

/** Words of the instruction families (src/world/tasks.ts) beyond the fact templates. */
const INSTRUCTION_TEXT: readonly string[] = [
  'Write a sentence about {N} .', 'Tell me something about {N} .', 'Describe {N} in one sentence .',
  'Repeat the sentence .', 'Copy the whole sentence .', 'Say the same sentence .',
  'Answer the question .', 'Answer the question about the person .', 'Give a short reply .',
  'Name an animal .', 'Name a food .', 'Name an instrument .', 'Name a job .',
  'Give an example of an animal .', 'Give an example of a food .', 'Give an example of an instrument .', 'Give an example of a job .',
  'Give the opposite of the word .', 'Write the opposite of the word .',
  'Answer the question from the context .', 'Read the context and answer the question .',
  'Fill in the blank .', 'Complete the sentence with one word .',
  'Summarize the passage in one sentence .', 'Write a short summary of the passage .',
  'An animal .', 'A food .', 'An instrument .', 'A job .', 'It is a word .',
  'Context :', 'Question :', 'Answer :', 'Passage :', 'Sentence :', 'Word :',
];

/**
 * Part of speech of every English word the world writes. Nouns, verbs and adjectives
 * are "content words" (the ones a similarity knob can borrow, src/world/similarity.ts).
 */
export const ENGLISH_POS: Readonly<Record<string, Pos>> = (() => {
  const pos: Record<string, Pos> = {
    a: 'det', an: 'det', the: 'det', every: 'det', many: 'det', one: 'det',
    which: 'whdet', what: 'wh', where: 'wh', who: 'wh',
    does: 'aux', can: 'aux',
    as: 'prep', in: 'prep', at: 'prep', to: 'prep', from: 'prep', for: 'prep', about: 'prep', of: 'prep', with: 'prep',
    and: 'conj',
    it: 'pron', nobody: 'pron', me: 'pron', something: 'pron',
    ___: 'blank',
    '.': 'punct', '?': 'punct', ',': 'punct', ':': 'punct',
  };
  const verbs = [
    'works', 'work', 'is', 'was', 'earns', 'keeps', 'keep', 'has', 'have', 'cares', 'likes', 'like', 'eats', 'eat',
    'loves', 'plays', 'play', 'practises', 'lives', 'live', 'comes', 'came', 'began', 'spread', 'expected',
    'played', 'talked', 'waited', 'write', 'tell', 'describe', 'repeat', 'copy', 'say', 'give', 'name', 'read',
    'fill', 'complete', 'summarize', 'answer', 'lasted', 'had',
  ];
  for (const v of verbs) pos[v] = 'verb';
  const nouns = [
    'money', 'home', 'day', 'days', 'job', 'animal', 'food', 'instrument', 'house', 'market', 'people', 'square',
    'night', 'festival', 'town', 'news', 'road', 'children', 'park', 'weather', 'storm', 'sea', 'river', 'crowd',
    'gate', 'bridge', 'person', 'example', 'opposite', 'summary', 'context', 'question', 'passage', 'sentence',
    'word', 'blank', 'reply', 'stalls', 'lamps',
  ];
  for (const n of nouns) if (!pos[n]) pos[n] = 'noun';
  for (const r of Object.values(RELATIONS)) for (const v of r.values) pos[v] = 'noun';
  for (const [a, b] of ADJECTIVE_PAIRS) pos[a] = pos[b] = 'adj';
  for (const a of ['long', 'short', 'whole', 'same']) pos[a] = 'adj';
  return pos;
})();

/** The words an instruction family may use, as English sentences (checked by a test). */
export const INSTRUCTION_SENTENCES = INSTRUCTION_TEXT;
