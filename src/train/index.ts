/** Training: data batches, the loss, AdamW and the resumable training loop. */
export * from './data';
export * from './loss';
export * from './optim';
export * from './trainer';
export * from './run-config';
