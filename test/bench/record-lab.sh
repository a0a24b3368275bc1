#!/usr/bin/env bash
# Records a longer run of notebook 02's grid on this machine (with --multilingual, then
# notebook 05's arms too), for the notebooks to show under its own label
# (docs/experiments.md, "Recorded runs").
#
#   bash test/bench/record-lab.sh NAME [lab.cjs grid options]   (NAME may be a path: ablations/code-switching-0.6)
#   e.g. bash test/bench/record-lab.sh classroom-200 --preset classroom --set tuneSteps=200 \
#          --base data/world/base-classroom --workers 2 --minutes 100 --backend wasm
#
# It bundles test/bench/gpu/lab-entry.ts into out/lab-local/lab.cjs first, so the run's
# workers keep the code it started with while src/ is edited, then trains into the
# results store out/recorded/NAME (started again, the same command reuses every finished
# run and resumes the rest), and finally copies recorded.json and results.json, the
# part worth committing, to data/recorded/NAME/, with the scaling points notebook 03 reads.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?usage: bash test/bench/record-lab.sh NAME [lab.cjs grid options]}
shift
B=out/lab-local
mkdir -p "$B"
node_modules/.bin/esbuild test/bench/gpu/lab-entry.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:webgpu --log-level=error --outfile="$B/lab.cjs"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$B/"
store="out/recorded/$name"
XALIGN_ROOT="$PWD" XALIGN_COMMIT="$(git rev-parse --short=10 HEAD)" node "$B/lab.cjs" grid --store "$store" "$@"
mkdir -p "data/recorded/$name"
cp "$store/recorded.json" "$store/results.json" "data/recorded/$name/"
case " $* " in
  *" --grid-only "*) ;; # no scaling series, so no points
  *) npx tsx test/bench/recorded-points.ts "data/recorded/$name" ;;
esac
echo "recorded: data/recorded/$name (commit it with its README.md)"
