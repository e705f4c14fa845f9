# The one list of speakai_native sources, paths relative to the repository
# root. binding.gyp includes this file; CMakeLists.txt parses it
# (native/cmake/sources.cmake), so keep the format: one quoted path per line
# inside each named list.
{
  'variables': {
    # Engine core: no Node, no ONNX Runtime. Also built alone for ctest.
    'speakai_core_sources': [
      'native/src/common/engine_error.cpp',
      'native/src/common/serial_queue.cpp',
      'native/src/audio/libav_setup.cpp',
      'native/src/audio/memory_input.cpp',
      'native/src/audio/resampler.cpp',
      'native/src/audio/speech_activity.cpp',
      'native/src/audio/decoder.cpp',
      'native/src/audio/memory_output.cpp',
      'native/src/audio/encoder.cpp',
      'native/src/audio/time_stretch.cpp',
      'native/src/features/fft.cpp',
      'native/src/features/mel_banks.cpp',
      'native/src/features/fbank.cpp',
      'native/src/phonemes/espeak.cpp',
      'native/src/phonemes/ipa.cpp',
      'native/src/phonemes/phonemizer.cpp',
      'native/src/phonemes/synthesizer.cpp',
      'native/src/phonemes/emphasis.cpp',
      'native/src/align/log_posteriors.cpp',
      'native/src/align/hmm_topology.cpp',
      'native/src/align/emissions.cpp',
      'native/src/align/decoding_graph.cpp',
      'native/src/align/utterance_graph.cpp',
      'native/src/align/viterbi_decoder.cpp',
      'native/src/align/segments.cpp',
      'native/src/align/text_match.cpp',
      'native/src/align/forced_aligner.cpp',
      'native/src/align/phone_loop.cpp',
      'native/src/scoring/gop_calibration.cpp',
      'native/src/scoring/gop.cpp',
      'native/src/scoring/phone_edits.cpp',
      'native/src/scoring/fluency.cpp',
      'native/src/scoring/scorer_input.cpp',
      'native/src/scoring/pronunciation_scores.cpp',
    ],
    # Model runtime (links ONNX Runtime).
    'speakai_runtime_sources': [
      'native/src/runtime/onnx_runtime.cpp',
      'native/src/runtime/sha256.cpp',
      'native/src/runtime/file_bytes.cpp',
      'native/src/runtime/manifest.cpp',
      'native/src/runtime/ort_session.cpp',
      'native/src/runtime/pronunciation_scorer.cpp',
      'native/src/runtime/acoustic_model.cpp',
      'native/src/analysis/analyze.cpp',
    ],
    # N-API layer: a thin skin over the two libraries above.
    'speakai_addon_sources': [
      'native/src/addon/addon.cpp',
      'native/src/addon/js_values.cpp',
      'native/src/addon/audio_exports.cpp',
      'native/src/addon/features_exports.cpp',
      'native/src/addon/phonemes_exports.cpp',
      'native/src/addon/runtime_exports.cpp',
      'native/src/addon/analysis_exports.cpp',
    ],
  },
}
