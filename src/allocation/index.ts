/** Allocating a budget of translation pairs between languages (paper Section 3.3; notebook 04). */
export * from './problem';
export * from './optimal';
export * from './baselines';
export * from './methods';
export * from './analysis';
export * from './mixture';
