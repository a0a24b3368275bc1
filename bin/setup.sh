#!/usr/bin/env bash
# xalign set-up: installs what is missing and nothing more; safe to run again.
#   - Node.js >= 20.19 is checked (not installed: use your distribution or nvm).
#   - Debian/Ubuntu: Jupyter (classic Notebook, nbclient, nbconvert), Chromium and
#     the Noto CJK fonts (the report's browser test; without a CJK font Chinese is
#     drawn as empty boxes) through apt, only if missing.
#     XALIGN_NO_BROWSER=1 skips Chromium and the fonts.
#   - Elsewhere: prints what to install with pip and goes on.
#   - Debian 12: lavapipe (Mesa >= 25) from bookworm-backports for the webgpu backend
#     on CPU (XALIGN_NO_WEBGPU=1 skips it; without apt it is skipped with a message).
#   - npm ci, only when node_modules does not match package-lock.json.
#   - the offline corpus (xalign data build); XALIGN_NO_DATA=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# --- Node.js ---------------------------------------------------------------
node -e '
const [maj, min] = process.versions.node.split(".").map(Number);
if (maj < 20 || (maj === 20 && min < 19)) {
  console.error(`[setup] Node.js ${process.versions.node} is too old: xalign needs >= 20.19 (require() of ES modules).`);
  process.exit(1);
}'
say "Node.js $(node --version), npm $(npm --version)"

# --- System packages (Debian/Ubuntu) ----------------------------------------
JUPYTER_PKGS=(jupyter-core jupyter-client jupyter-notebook jupyter-nbconvert python3-nbconvert python3-nbclient python3-ipykernel)
# fonts-noto-cjk: Chinese (and Japanese, Korean) glyphs for the report's pages
BROWSER_PKGS=(chromium fonts-noto-cjk)
wanted=("${JUPYTER_PKGS[@]}")
[ "${XALIGN_NO_BROWSER:-0}" = "1" ] || wanted+=("${BROWSER_PKGS[@]}")

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        say "missing Debian packages: ${missing[*]}; run as root: apt-get install -y --no-install-recommends ${missing[*]}"
        missing=()
      fi
    fi
    if [ ${#missing[@]} -gt 0 ]; then
      say "installing Debian packages: ${missing[*]}"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    say "Debian packages present: ${wanted[*]}"
  fi
else
  if /usr/bin/env python3 -c 'import nbclient, nbconvert, notebook' 2>/dev/null; then
    say "no apt here; Jupyter found in $(command -v python3)"
  else
    say "no apt here: install Jupyter yourself, e.g. 'pip install notebook nbclient nbconvert',"
    say "then point xalign at that Python with XALIGN_PYTHON=/path/to/python3. Going on."
  fi
  command -v chromium >/dev/null 2>&1 || say "no Chromium: the report's browser check will be skipped (set XALIGN_CHROMIUM to a Chromium binary)."
  if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    say "no Chinese font: the report draws Chinese as empty boxes; install Noto Sans CJK (e.g. the fonts-noto-cjk package)."
  fi
fi

# --- WebGPU on CPU (optional): Mesa >= 25 lavapipe, which Dawn accepts ----------
# The webgpu backend's tests run on it; Debian 12 ships Mesa 22 (rejected by Dawn), so
# the driver comes from bookworm-backports. XALIGN_NO_WEBGPU=1 skips this step.
if [ "${XALIGN_NO_WEBGPU:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  mesa_ver=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  mesa_major=${mesa_ver%%.*}; mesa_major=${mesa_major##*:}
  if [ -n "$mesa_ver" ] && [ "${mesa_major:-0}" -ge 25 ] 2>/dev/null; then
    say "lavapipe (Mesa $mesa_ver) present for the webgpu backend"
  else
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="$(command -v sudo || true)"
    codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
      say "webgpu on CPU needs Mesa >= 25 (mesa-vulkan-drivers); run as root to install it. Going on."
    elif [ "$codename" = "bookworm" ]; then
      list=/etc/apt/sources.list.d/bookworm-backports.list
      if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee "$list" >/dev/null
      fi
      say "installing lavapipe (mesa-vulkan-drivers) from bookworm-backports for the webgpu backend"
      if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null; then
        say "lavapipe installed"
      else
        say "could not install lavapipe from bookworm-backports: the webgpu test will skip. Going on."
      fi
    else
      say "webgpu on CPU needs Mesa >= 25 (mesa-vulkan-drivers, found '${mesa_ver:-none}'); install it from your distribution if it has one. Going on."
    fi
  fi
fi

# --- npm packages -------------------------------------------------------------
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/.xalign-lock-sha256 ] && [ "$(cat node_modules/.xalign-lock-sha256)" = "$lock_sum" ]; then
  say "node_modules matches package-lock.json"
else
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.xalign-lock-sha256
fi

# --- Offline corpus (xalign data build; incremental, nothing to do when up to date) ---
# Debian packages through `apt-get download` + `dpkg -x` into data/cache/ (git-ignored);
# without apt only the UDHR sets are built and the message says how to use OPUS files.
if [ "${XALIGN_NO_DATA:-0}" = "1" ]; then
  say "XALIGN_NO_DATA=1: corpus build skipped (run 'npx xalign data build' later)"
else
  say "building the offline corpus (npx xalign data build)"
  node bin/xalign.cjs data build || say "corpus build failed (see above); going on. Notebooks that need it say so; retry with 'npx xalign data build'"
fi

# --- Check ---------------------------------------------------------------------
node bin/xalign.cjs version >/dev/null
say "ready: 'npm run reproduce' runs the notebooks (PRESET=smoke|classroom|paper), 'npm run lab' opens them"
