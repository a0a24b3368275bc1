#!/usr/bin/env bash
# The GPU benchmark, one prepared command for the GPU test machine (see docs/speed.md):
# unpacks node and dawn.node from out/gpu-bundle (test/bench/gpu/build-bundle.sh), finds a
# Vulkan driver for Dawn, then trains the reference model with tfjs-webgpu and with
# PyTorch CUDA in the same run. Results (JSON and logs) go to $OUT (default out/gpu-run).
# MODE=lab records notebook 02's grid (LAB_ARGS); MODE=check makes every measurement
# docs/speed.md waits for (the 128 x 128 ratio, the fast paths there, one tuning run alone).
set -uo pipefail
cd "$(dirname "$0")/../../.."
B="$PWD/out/gpu-bundle"
OUT="${OUT:-$PWD/out/gpu-run}"
mkdir -p "$OUT"
PY=$(command -v python3)
T=$(mktemp -d)
"$PY" - "$B" "$T" <<'PYEOF'
import lzma, os, shutil, sys
b, t = sys.argv[1], sys.argv[2]
with lzma.open(os.path.join(b, "node.xz")) as f, open(os.path.join(t, "node"), "wb") as g:
    shutil.copyfileobj(f, g)
os.chmod(os.path.join(t, "node"), 0o755)
d = os.path.join(b, "node_modules/webgpu/dist/linux-x64")
if not os.path.exists(os.path.join(d, "dawn.node")):
    with lzma.open(os.path.join(d, "dawn.node.xz")) as f, open(os.path.join(d, "dawn.node"), "wb") as g:
        shutil.copyfileobj(f, g)
PYEOF
NODE="$T/node"
export LD_LIBRARY_PATH="$B/sysroot/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export XALIGN_PYTHON="$PY"
{ nvidia-smi -L; "$NODE" --version; "$PY" -c 'import torch; print("torch", torch.__version__, torch.cuda.is_available())'; } > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
probe() { timeout 60 "$NODE" "$B/bench.cjs" probe --backend webgpu > "$OUT/probe.json" 2> "$OUT/probe.err"; }
if ! probe; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$icd" ] || continue
    export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
    echo "retrying with VK_DRIVER_FILES=$icd"
    probe && break
  done
fi
tail -3 "$OUT/probe.err"; grep -m1 '"reason"' "$OUT/probe.json" || echo "webgpu did not start"
if [ "${MODE:-bench}" = lab ]; then
  # notebook 02's grid as a recorded run (test/bench/gpu/lab-entry.ts); LAB_ARGS adds flags
  nvidia-smi --query-gpu=name --format=csv,noheader > "$OUT/gpu.txt" 2>/dev/null
  export XALIGN_ROOT="$PWD" XALIGN_COMMIT="$(cat "$B/commit.txt")" XALIGN_GPU_NAME="$(head -1 "$OUT/gpu.txt")"
  BACKEND=webgpu
  grep -q '"name": "webgpu"' "$OUT/probe.json" 2>/dev/null || BACKEND=wasm
  timeout "${LAB_TIMEOUT:-560}" "$NODE" "$B/lab.cjs" grid --backend "$BACKEND" --base data/world/base-classroom --store "$OUT/recorded" ${LAB_ARGS:-} 2> "$OUT/lab.log"
  echo "lab exit $?"
  # keep recorded.json and results.json (all results in one file): the device tool returns few files
  rm -rf "$OUT/recorded/runs" "$OUT/recorded/results"
  grep -v '^Warning' "$OUT/lab.log" | tail -60
  rm -rf "$T"
  exit 0
fi
STEPS="${STEPS:-20}"  # BENCH_ARGS adds flags to the benchmark, e.g. "--batch 128 --seq 128"
BACKEND=webgpu
grep -q '"name": "webgpu"' "$OUT/probe.json" 2>/dev/null || BACKEND=wasm
if [ "${MODE:-bench}" = check ]; then
  # every GPU measurement a lent machine owes docs/speed.md, in at most 8.5 minutes after the probe:
  # 1. the ratio to PyTorch CUDA at batch 128 x 128; 2. what each fast path buys there,
  # interleaved; 3. one classroom tuning run alone on webgpu (its time chooses gpuWorkers)
  timeout 150 "$NODE" "$B/bench.cjs" train --backend "$BACKEND" --steps 10 --warmup 3 --batch 128 --seq 128 --torch-device cuda \
    > "$OUT/bench-128.json" 2> "$OUT/bench-128.log"; echo "bench 128x128 exit $?"
  grep -v '^  tfjs step' "$OUT/bench-128.log" | grep -v '^Warning' | tail -8
  timeout 120 "$NODE" "$B/bench.cjs" train --backend "$BACKEND" --steps 4 --warmup 1 --batch 128 --seq 128 --skip-torch --compare \
    > "$OUT/compare-128.json" 2> "$OUT/compare-128.log"; echo "compare exit $?"
  grep -A20 '^fast paths' "$OUT/compare-128.log"
  nvidia-smi --query-gpu=name --format=csv,noheader > "$OUT/gpu.txt" 2>/dev/null
  export XALIGN_ROOT="$PWD" XALIGN_COMMIT="$(cat "$B/commit.txt")" XALIGN_GPU_NAME="$(head -1 "$OUT/gpu.txt")"
  # one run starts within the first 2.5 minutes (after gamma); its time is logged when it ends
  timeout 240 "$NODE" "$B/lab.cjs" grid --backend "$BACKEND" --base data/world/base-classroom --store "$OUT/one-run" --workers 1 --minutes 2.5 --grid-only \
    2> "$OUT/one-run.log"; echo "one run exit $?"
  grep -v '^Warning' "$OUT/one-run.log" | tail -6
  rm -rf "$OUT/one-run/runs" "$OUT/one-run/results" "$T"
  exit 0
fi
timeout "${BENCH_TIMEOUT:-240}" "$NODE" "$B/bench.cjs" train --backend "$BACKEND" --steps "$STEPS" --warmup 3 --torch-device "${TORCH_DEVICE:-cuda}" ${BENCH_ARGS:-} \
  > "$OUT/bench.json" 2> "$OUT/bench.log"
echo "bench exit $?"
grep -v '^  tfjs step' "$OUT/bench.log" | grep -v '^Warning' | tail -12
rm -rf "$T"
