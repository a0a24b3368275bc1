/** The miniature multilingual world (docs/world.md; notebook 02; paper Sections 3.1 and 4.1). */
export * from './english';
export * from './kb';
export * from './grammar';
export * from './languages';
export * from './lexicon';
export * from './transduce';
export * from './similarity';
export * from './corpus';
export * from './tasks';
export * from './world';
export * from './language-file';
