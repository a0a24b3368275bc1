/** Sentence representations layer by layer: the states layout, exact PCA and alignment measures (`xalign represent`; docs/representations.md). */
export * from './pca';
export * from './align';
export * from './layers';
export * from './consistency';
export * from './project';
