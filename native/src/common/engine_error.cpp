#include "common/engine_error.h"

namespace speakai {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAudioUnsupportedFormat: return "AUDIO_UNSUPPORTED_FORMAT";
    case ErrorCode::kAudioCorrupt: return "AUDIO_CORRUPT";
    case ErrorCode::kAudioTooLong: return "AUDIO_TOO_LONG";
    case ErrorCode::kAudioTooLarge: return "AUDIO_TOO_LARGE";
    case ErrorCode::kAudioEmpty: return "AUDIO_EMPTY";
    case ErrorCode::kAudioNoSpeech: return "AUDIO_NO_SPEECH";
    case ErrorCode::kLanguageUnsupported: return "LANGUAGE_UNSUPPORTED";
    case ErrorCode::kTextEmpty: return "TEXT_EMPTY";
    case ErrorCode::kTextTooLong: return "TEXT_TOO_LONG";
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kEspeakUnavailable: return "ESPEAK_UNAVAILABLE";
    case ErrorCode::kSynthesisFailed: return "SYNTHESIS_FAILED";
    case ErrorCode::kVoiceUnsupported: return "VOICE_UNSUPPORTED";
    case ErrorCode::kPhonemeNotInText: return "PHONEME_NOT_IN_TEXT";
    case ErrorCode::kEncodeFailed: return "ENCODE_FAILED";
    case ErrorCode::kModelNotFound: return "MODEL_NOT_FOUND";
    case ErrorCode::kModelChecksumMismatch: return "MODEL_CHECKSUM_MISMATCH";
    case ErrorCode::kModelInvalid: return "MODEL_INVALID";
    case ErrorCode::kModelRunFailed: return "MODEL_RUN_FAILED";
    case ErrorCode::kInternal: return "INTERNAL";
  }
  return "INTERNAL";
}

}  // namespace speakai
