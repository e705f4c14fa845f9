#!/usr/bin/env bash
# Builds the addon with node-gyp from binding.gyp, in a scratch copy of the tree so that cmake-js's build/ is left
# alone, and loads it: the node-gyp definition must keep building the same addon as CMakeLists.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/native" "$root/binding.gyp" "$root/package.json" "$work/"
mkdir -p "$work/scripts" && cp -r "$root/scripts/native" "$work/scripts/"
ln -s "$root/node_modules" "$work/node_modules"
[ -d "$root/.cache" ] && ln -s "$root/.cache" "$work/.cache"
# node-gyp needs Node's own headers: those of the running node (the npm package ships them), else the system's.
nodedir=$(node -p "require('node:path').resolve(process.execPath, '../..')")
[ -f "$nodedir/include/node/node_api.h" ] || nodedir=/usr
cd "$work"
npx node-gyp rebuild --nodedir="$nodedir" -j 2 >build.log 2>&1 || { tail -40 build.log; exit 1; }
node -e "const addon = require('./build/Release/speakai_native.node');
console.log('node-gyp build loads; ONNX Runtime ' + addon.onnxRuntimeVersion());"
