#!/usr/bin/env bash
# Builds out/gpu-bundle/: everything the GPU test machine (no Node.js, no network)
# needs to run `xalign bench train` on webgpu next to PyTorch CUDA, under 64 MiB:
#   node.xz            this machine's node binary, xz-compressed (unpacked with Python's lzma)
#   bench.cjs          test/bench/gpu/entry.ts bundled with esbuild (tfjs included)
#   lab.cjs            test/bench/gpu/lab-entry.ts: notebook 02's grid as a recorded run
#   *.wasm             tfjs-backend-wasm's binaries (the CPU fallback)

#   node_modules/      webgpu (index.js, package.json, dawn.node.xz) and a resolvable
#                      stub of @tensorflow/tfjs-backend-webgpu (the code itself is bundled)
#   sysroot/           libvulkan1, libegl1, libglvnd0 from Debian, unpacked with dpkg -x
# Then: the run tool carries out/gpu-bundle and runs test/bench/gpu/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=out/gpu-bundle
mkdir -p "$B"
if [ ! -f "$B/node.xz" ] || [ "$(cat "$B/node.version" 2>/dev/null)" != "$(node --version)" ]; then
  xz -6 -T1 -c "$(command -v node)" > "$B/node.xz.tmp" && mv "$B/node.xz.tmp" "$B/node.xz"
  node --version > "$B/node.version"
fi
node_modules/.bin/esbuild test/bench/gpu/entry.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:webgpu --log-level=warning --outfile="$B/bench.cjs"
node_modules/.bin/esbuild test/bench/gpu/lab-entry.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:webgpu --log-level=warning --outfile="$B/lab.cjs"

# the wasm backend's binaries beside the bundles, where tfjs looks for them: the CPU fallback when webgpu does not start
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm "$B/"
git rev-parse --short=10 HEAD > "$B/commit.txt"
W="$B/node_modules/webgpu"
mkdir -p "$W/dist/linux-x64"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$W/"
[ -f "$W/dist/linux-x64/dawn.node.xz" ] || xz -6 -T1 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$W/dist/linux-x64/dawn.node.xz"
S="$B/node_modules/@tensorflow/tfjs-backend-webgpu"
mkdir -p "$S/dist"
cp node_modules/@tensorflow/tfjs-backend-webgpu/package.json "$S/"
echo "throw new Error('stub: the webgpu backend is bundled in bench.cjs');" > "$S/dist/tf-backend-webgpu.node.js"
if [ ! -d "$B/sysroot/usr" ] && command -v apt-get >/dev/null; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download libvulkan1 libegl1 libglvnd0 >/dev/null)
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$B/sysroot"; done
  rm -rf "$tmp"
  # symbolic links may not travel: replace them by copies
  find "$B/sysroot" -type l | while read -r l; do t=$(readlink -f "$l"); rm "$l"; cp "$t" "$l"; done
fi
du -sh "$B"
