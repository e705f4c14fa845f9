#!/usr/bin/env bash
# Generates the audio fixtures for the native tests into OUT_DIR (created):
# speech from the espeak-ng CLI, re-encoded by the ffmpeg CLI into every
# container/codec the decoder accepts, plus files for each error path.
# Nothing is downloaded. Used by ctest (native/test) and test/native.
#
#   scripts/native/make-audio-fixtures.sh OUT_DIR
set -euo pipefail

OUT="${1:?usage: make-audio-fixtures.sh OUT_DIR}"
mkdir -p "$OUT"
cd "$OUT"

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# ~2.5 s of speech, 22050 Hz mono s16.
espeak-ng -v en-us -s 160 -w speech.wav "The quick brown fox jumps over the lazy dog."

# Accepted formats: name -> ffmpeg output options.
ff -i speech.wav -c:a libopus -b:a 32k webm_opus.webm
ff -i speech.wav -c:a aac -b:a 64k mp4_aac.m4a
# What browsers' MediaRecorder writes: WebM without duration or cues (Chrome,
# Firefox) and fragmented MP4 (Safari).
ff -i speech.wav -c:a libopus -b:a 32k -f webm -live 1 webm_live.webm
ff -i speech.wav -c:a aac -b:a 64k -movflags frag_keyframe+empty_moov+default_base_moof \
  -frag_duration 500000 mp4_fragmented.m4a
ff -i speech.wav -c:a libopus -b:a 32k ogg_opus.ogg
ff -i speech.wav -c:a libvorbis -q:a 3 ogg_vorbis.ogg
ff -i speech.wav -c:a libmp3lame -b:a 64k mp3.mp3
ff -i speech.wav -c:a flac flac.flac
for fmt in u8 s16le s24le s32le f32le f64le; do
  ff -i speech.wav -c:a "pcm_$fmt" "wav_$fmt.wav"
done
ff -i speech.wav -ac 2 -ar 48000 -c:a pcm_s16le wav_stereo_48k.wav

# Error paths.
ff -f lavfi -i anullsrc=r=16000:cl=mono -t 2 -c:a pcm_s16le silence.wav
ff -f lavfi -i sine=frequency=440:sample_rate=16000:duration=31 -c:a flac long.flac
ff -f lavfi -i color=c=black:s=32x32:d=1 -c:v mpeg4 video_only.mp4
ff -i speech.wav -c:a pcm_s16be aiff.aiff
head -c 40 wav_s16le.wav > truncated_header.wav
size=$(stat -c %s webm_opus.webm)
head -c $((size / 2)) webm_opus.webm > truncated_half.webm
head -c 2000 /dev/urandom > random.bin
echo "fixtures written to $OUT"
