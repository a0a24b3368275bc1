/**
 * xalign: the public entry point of the library (no tslab here; see src/notebook/).
 */

export * from './backend';
export * from './config/presets';
export * from './bench/train-bench';
export * from './eval/metrics';
export * from './io/atomic';
export * from './model';
export * from './provenance';
export * from './random/rng';
export * from './session';
export * from './train';
export * from './viz/format';
export * from './viz/plot';
export * from './viz/table';
export * from './scaling';
export * from './similarity';
export * from './representations';
export * from './allocation';
export * from './data';
export * from './world';
export * from './experiments';
export * from './bridge';
