#!/usr/bin/env node
// The `xalign` command: runs the TypeScript CLI in src/cli/ through tsx (no build step).
'use strict';
const path = require('node:path');

require('tsx/cjs/api').register();
const { main } = require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exitCode = 1;
  },
);
