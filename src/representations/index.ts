/** Sentence representations layer by layer: exact PCA and alignment measures (notebook 06, `xalign represent`). */
export * from './pca';
export * from './align';
export * from './layers';
