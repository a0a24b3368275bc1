/** Experiments (notebook 02): results store, runner, evaluation on the world's tasks. */
export * from './store';
export * from './evaluate';
export * from './runner';
export * from './table';
export * from './compare';
export * from './pool';
export * from './gamma';
export * from './scaling';
export * from './verdict';
export * from './report';
export * from './competence';
export * from './plan';
export * from './copy-probe';
