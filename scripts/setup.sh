#!/usr/bin/env bash
# Sets up xxgk-convert on a Debian machine: system packages (installed when missing, as root),
# npm packages from the lock file, and the build. The README, .ci/run and the Dockerfile all use it.
#   bash scripts/setup.sh               runtime: system packages, npm ci, build
#   bash scripts/setup.sh --test        also what the tests and benchmarks use
#   bash scripts/setup.sh --system-only only the system packages (the Docker runtime stage)
#   bash scripts/setup.sh --build-stage the compilers native npm modules build with, instead of the runtime
#                                       packages, then npm ci and the build (the Docker build stage)
set -euo pipefail
cd "$(dirname "$0")/.."

# Runtime: LibreOffice converts legacy .doc files.
RUNTIME_PACKAGES=(libreoffice-writer-nogui)
# Tests and benchmarks: pdftotext as a baseline, CJK fonts and Chromium to render fixtures and run
# the UI tests, LibreOffice Calc to read back the XLSX dataset, curl and jq for the README's examples,
# the tesseract command line as the OCR benchmark's baseline, pandas for the README's dataset snippet, PostgreSQL for the tests of the
# PostgreSQL store (they start a throwaway cluster of their own; the package's cluster is not used).
TEST_PACKAGES=(poppler-utils fonts-noto-cjk chromium libreoffice-calc-nogui curl jq tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra postgresql python3-pandas)
# Docker build stage: node-gyp compiles better-sqlite3 where no prebuilt binary can be downloaded.
BUILD_PACKAGES=(python3 make g++)

system=1 npm=1 packages=("${RUNTIME_PACKAGES[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) packages+=("${TEST_PACKAGES[@]}") ;;
    --system-only) npm=0 ;;
    --build-stage) packages=("${BUILD_PACKAGES[@]}") ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

if [ "$system" = 1 ]; then
  missing=()
  for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: missing Debian packages ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    fi
  fi
fi

if [ "$npm" = 1 ]; then
  # onnxruntime-node's install script fetches GPU binaries from the internet; the CPU ones ship in the package.
  export ONNXRUNTIME_NODE_INSTALL=skip
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build
fi
