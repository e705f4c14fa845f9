#!/usr/bin/env bash
# Builds the libFuzzer targets of native/fuzz (clang, ASan + UBSan) into
# build-fuzz/ and runs one of them for SECONDS, starting from seed corpora made
# here: small WAV/Opus/MP3/... files from ffmpeg for the decoder, IPA strings
# and reference texts for the IPA parser. Needs clang and libclang-rt-14-dev
# (Debian 12). Exits non-zero if the target crashes; the reproducer is left in
# build-fuzz/artifacts/.
#
#   scripts/native/fuzz.sh decoder|ipa SECONDS
set -euo pipefail

TARGET="${1:?usage: fuzz.sh decoder|ipa SECONDS}"
SECONDS_TO_RUN="${2:?usage: fuzz.sh decoder|ipa SECONDS}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build-fuzz"
case "$TARGET" in decoder | ipa) ;; *) echo "unknown target '$TARGET'" >&2; exit 2 ;; esac

CC=clang CXX=clang++ cmake -S "$ROOT/native/fuzz" -B "$BUILD" >/dev/null
cmake --build "$BUILD" -j2 --target "fuzz_$TARGET"

SEEDS="$BUILD/seeds/$TARGET"
if [ ! -d "$SEEDS" ]; then
  mkdir -p "$SEEDS.tmp"
  if [ "$TARGET" = decoder ]; then
    ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
    tone=(-f lavfi -i "sine=frequency=300:sample_rate=16000:duration=0.25")
    ff "${tone[@]}" -c:a pcm_s16le "$SEEDS.tmp/s16.wav"
    ff "${tone[@]}" -c:a pcm_u8 "$SEEDS.tmp/u8.wav"
    ff "${tone[@]}" -ar 48000 -c:a libopus -b:a 16k "$SEEDS.tmp/opus.webm"
    ff "${tone[@]}" -ar 48000 -c:a libopus -b:a 16k "$SEEDS.tmp/opus.ogg"
    ff "${tone[@]}" -c:a libvorbis "$SEEDS.tmp/vorbis.ogg"
    ff "${tone[@]}" -c:a libmp3lame -b:a 32k "$SEEDS.tmp/mp3.mp3"
    ff "${tone[@]}" -c:a flac "$SEEDS.tmp/flac.flac"
    ff "${tone[@]}" -c:a aac -b:a 32k "$SEEDS.tmp/aac.m4a"
    ff "${tone[@]}" -c:a aac -b:a 32k -movflags frag_keyframe+empty_moov "$SEEDS.tmp/fragmented.m4a"
  else
    i=0
    while IFS= read -r line; do
      printf '%s' "$line" > "$SEEDS.tmp/$((i += 1))"
    done <<'IPA'
h_ə_l_ˈoʊ
/ˈhɛloʊ/
p_ˌiː__ˈɛ_m
(en)w_ˈɜː_l_d(es)
ˈ_a_b
t_ʃ_ˈɜː_tʃ
β_ˈa_ɲ_o
fˈɔːɾi tˈuː
¿Dónde está el baño?
«Hola», “amigo” — ...
don't stop-believing!!!
IPA
  fi
  mv "$SEEDS.tmp" "$SEEDS"
fi

CORPUS="$BUILD/corpus/$TARGET"
mkdir -p "$CORPUS" "$BUILD/artifacts"
LOG="$BUILD/fuzz_$TARGET.log"
max_len=$([ "$TARGET" = decoder ] && echo 65536 || echo 4096)
# No input this small may make the engine allocate 256 MB in one block.
echo "fuzzing $TARGET for $SECONDS_TO_RUN s (log: $LOG)"
"$BUILD/fuzz_$TARGET" "$CORPUS" "$SEEDS" -max_total_time="$SECONDS_TO_RUN" -max_len="$max_len" \
  -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$TARGET-" \
  >"$LOG" 2>&1 || { tail -n 60 "$LOG"; exit 1; }
grep -E '^(Done|stat::)' "$LOG"
