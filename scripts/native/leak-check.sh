#!/usr/bin/env bash
# Runs the whole current pipeline (native/test/pipeline_driver.cpp: decode
# of every fixture format and error path, features, phonemes, synthesis)
# under valgrind and fails on any definite or indirect leak or memory error.
# "Still reachable" blocks (libav's and glibc's process-lifetime tables) are
# not errors; native/test/valgrind.supp silences espeak-ng 1.51's own
# uninitialised reads, nothing else. Builds into build-leak/ (RelWithDebInfo,
# for readable stacks).
#
#   scripts/native/leak-check.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build-leak"

cmake -S "$ROOT" -B "$BUILD" -DSPEAKAI_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2 --target pipeline_driver
bash "$ROOT/scripts/native/make-audio-fixtures.sh" "$BUILD/fixtures" >/dev/null

valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
  --error-exitcode=1 --track-origins=yes --suppressions="$ROOT/native/test/valgrind.supp" \
  "$BUILD/native/test/pipeline_driver" "$BUILD/fixtures"
