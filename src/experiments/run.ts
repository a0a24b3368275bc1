/**
 * What running a described experiment shares, for a base model (src/experiments/base.ts)
 * and a tuning run (src/experiments/tune.ts) alike: where results go, the provenance
 * they carry, and the training summary they store.
 */

import * as os from 'node:os';
import { gitCommit, type Provenance } from '../provenance';
import type { TrainEvent, TrainResult } from '../train/trainer';
import type { ExperimentResult, ResultStore } from './store';

export interface RunOptions {
  store: ResultStore;
  preset: string;
  backend: string;
  /** The command that regenerates the result (provenance). */
  command?: string;
  onEvent?: (e: TrainEvent & { phase: 'pretrain' | 'tune' }) => void;
  log?: (line: string) => void;
  /** A base-model folder to use when its manifest's configHash matches the spec (e.g. a committed checkpoint). */
  baseDir?: string;
}

export interface RunOutcome<S> {
  result: ExperimentResult<S>;
  /** True when the stored result was returned without running. */
  reused: boolean;
  /** Folder of the trained model. */
  modelDir: string;
}

/** The machine a run trained on, as a manifest records it. */
export interface MachineInfo {
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return { platform: os.platform(), arch: os.arch(), cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.versions.node };
}

/** A result's provenance: commit, preset, config hash, backend, seed, time and the command that regenerates it. */
export function runProvenance(hash: string, seed: number, o: RunOptions, command: string): Provenance {
  return { commit: gitCommit(), preset: o.preset, configHash: hash, backend: o.backend, seed, time: new Date().toISOString(), command };
}

/** What a result stores of its training: losses, time, throughput, the non-padding share and examples seen. */
export function trainingSummary(tr: TrainResult, seconds: number, resumedFrom?: number): ExperimentResult['training'] {
  return {
    steps: tr.steps, losses: tr.losses, seconds, tokensPerSec: tr.tokensPerSec,
    realTokensPerSec: tr.realTokensPerSec, nonPaddingShare: tr.nonPaddingShare, examplesSeen: tr.examplesSeen,
    ...(resumedFrom !== undefined ? { resumedFrom } : {}),
  };
}
