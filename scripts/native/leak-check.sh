#!/usr/bin/env bash
# Leak check of the engine, in two steps, failing on any leak of ours or memory error:
#
# 1. valgrind: the pipeline without the model (native/test/pipeline_driver.cpp:
#    decode of every fixture format and error path, features, phonemes,
#    synthesis). "Still reachable" blocks (libav's and glibc's process-lifetime
#    tables) are not errors; native/test/valgrind.supp silences espeak-ng 1.51's
#    own uninitialised reads, nothing else. Builds into build-leak/.
# 2. LeakSanitizer (with AddressSanitizer): full analyses with the real model
#    (native/test/analysis_driver.cpp: load through models/manifest.json, Analyze
#    of every fixture, refused requests; several rounds). Not valgrind: ONNX
#    Runtime's vectorised kernels run so slowly under it that two rounds had not
#    finished after 29 minutes. native/test/lsan.supp names the two allocations
#    ONNX Runtime itself never frees. Builds into build-asan/.
#
#   scripts/native/leak-check.sh [MANIFEST=models/manifest.json]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build-leak"
ASAN_BUILD="$ROOT/build-asan"
MANIFEST="${1:-$ROOT/models/manifest.json}"

cmake -S "$ROOT" -B "$BUILD" -DSPEAKAI_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2 --target pipeline_driver
bash "$ROOT/scripts/native/make-audio-fixtures.sh" "$BUILD/fixtures" >/dev/null

valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 --track-origins=yes \
  --suppressions="$ROOT/native/test/valgrind.supp" \
  "$BUILD/native/test/pipeline_driver" "$BUILD/fixtures"

cmake -S "$ROOT" -B "$ASAN_BUILD" -DSPEAKAI_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=address -fno-omit-frame-pointer" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address" \
  >/dev/null
cmake --build "$ASAN_BUILD" -j2 --target analysis_driver
# Full stacks, so that the suppressions see every frame; print which were used.
ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=256:exitcode=1 \
  LSAN_OPTIONS="suppressions=$ROOT/native/test/lsan.supp:print_suppressions=1" \
  "$ASAN_BUILD/native/test/analysis_driver" "$MANIFEST" "$BUILD/fixtures" 5
