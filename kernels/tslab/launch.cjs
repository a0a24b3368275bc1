#!/usr/bin/env node
// Starts tslab with the project root as working directory, so notebooks (which live
// in notebooks/) can import the library as './src/...' without a build step: tslab
// compiles each cell with its working directory as the TypeScript root. tslab
// type-checks imports but loads them with Node's require, so tsx's CommonJS hook is
// registered to run the library's .ts files.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: launch.cjs CONNECTION_FILE (Jupyter passes it)');
  process.exit(2);
}
process.chdir(root);
require(path.join(root, 'node_modules', 'tsx', 'dist', 'cjs', 'api', 'index.cjs')).register();
const { startKernel } = require(path.join(root, 'node_modules', 'tslab', 'dist', 'main.js'));
startKernel({ configPath: path.resolve(connectionFile), enableFindLocal: false, jsKernel: false });
