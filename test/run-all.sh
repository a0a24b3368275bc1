#!/usr/bin/env bash
# npm test: every check, in order; stops at the first stage that fails.
#   1. strict type-checking of src/ and test/
#   2. unit tests (node's test runner through tsx), including the failing-notebook fixtures
#   3. committed notebooks carry no outputs or execution counts
#   4. every notebook executes on the smoke preset (report in out/test-smoke)
#   5. the HTML report opens in headless Chromium and every chart rendered
set -euo pipefail
cd "$(dirname "$0")/.."
stage() { printf '\n=== npm test: %s ===\n' "$*"; }

stage "1/5 type-check"
npx tsc -p tsconfig.json --noEmit

stage "2/5 unit tests"
node --import tsx --test --test-reporter=spec $(find test/unit -name '*.test.ts' | sort)

stage "3/5 notebooks stored without outputs"
node bin/xalign.cjs notebooks check

stage "4/5 notebooks run on the smoke preset"
node bin/xalign.cjs reproduce --preset smoke --out out/test-smoke

stage "5/5 report in a browser"
npx tsx test/browser/check-report.ts out/test-smoke

printf '\nnpm test: all 5 stages passed\n'
