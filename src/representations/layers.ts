/**
 * Hidden states on disk: one folder per model and language, one `.npy` file per layer
 * named `layer-NN.npy` (NN from 00: the embeddings, then each block), each an n x d
 * float16/32/64 matrix in C order whose row i is sentence i, mean-pooled over its real
 * tokens. Two languages' folders hold the same sentences in the same order (row i of the
 * English folder and of the X folder are a translation pair). The PyTorch script
 * `test/tools/export_states.py` writes this layout from a Hugging Face model; the
 * laboratory writes it with {@link writeLayerDir}.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { matrixFromNpy, type RepresentationMatrix } from '../similarity/retrieval';
import { readNpy, writeNpy } from '../similarity/npy';

const LAYER_FILE = /^layer-(\d+)\.npy$/;

/** The file name of layer `i`. */
export function layerFile(i: number): string {
  return `layer-${String(i).padStart(2, '0')}.npy`;
}

/** The layers of a folder in order, each with its file; errors name the folder or file. */
export function readLayerDir(dir: string): { files: string[]; layers: RepresentationMatrix[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RangeError(`${dir}: no such folder`);
  const names = fs.readdirSync(dir).filter((f) => LAYER_FILE.test(f)).sort((a, b) => Number(LAYER_FILE.exec(a)![1]) - Number(LAYER_FILE.exec(b)![1]));
  if (names.length === 0) throw new RangeError(`${dir}: no layer-NN.npy files (one n x d matrix per layer, row i = sentence i)`);
  names.forEach((f, i) => {
    if (Number(LAYER_FILE.exec(f)![1]) !== i) throw new RangeError(`${dir}: layers must be numbered from 00 without gaps; found ${f} where ${layerFile(i)} was expected`);
  });
  const files = names.map((f) => path.join(dir, f));
  const layers = files.map((f) => matrixFromNpy(readNpy(f), f));
  const rows = layers[0]!.rows;
  layers.forEach((m, i) => {
    if (m.rows !== rows) throw new RangeError(`${files[i]}: ${m.rows} rows, but ${files[0]} has ${rows}; every layer holds the same sentences`);
  });
  return { files, layers };
}

/** Writes `layers` (row-major n x d each) as `layer-NN.npy` files into `dir` (created). */
export function writeLayerDir(dir: string, layers: readonly ArrayLike<number>[], n: number, d: number, dtype: 'float32' | 'float64' = 'float32'): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return layers.map((data, i) => {
    const file = path.join(dir, layerFile(i));
    writeNpy(file, data, [n, d], dtype);
    return file;
  });
}
