/** The bridge to a real run: a launch folder for a GPU cluster (export), and its results read back (ingest). */
export * from './export-run';
export * from './ingest';
export * from './explore-corpus';
