/** The laboratory models: tokenizers, the transformer, decoding and checkpoints. */
export * from './checkpoint';
export * from './config';
export * from './generate';
export * from './safetensors';
export * from './tokenizer';
export * from './transformer';
export { dense, bmm, fastPaths, gelu, Rotary } from './ops';
