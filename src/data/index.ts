/** The data layer (notebook 01; Sections 3.1, 3.3 and 4.1 of the paper). */
export * from './errors';
export * from './lines';
export * from './parallel';
export * from './records';
export * from './flores';
export * from './summary';
export * from './spec';
export * from './registry';
export * from './mixture';
export * from './fertility';
export * from './table1';
export * from './corpus/mo';
export * from './corpus/sources';
export * from './corpus/clean';
export * from './corpus/debian';
export * from './corpus/build';
export * from './corpus/stats';
