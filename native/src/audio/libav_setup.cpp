#include "audio/libav_setup.h"

#include <cstddef>
#include <mutex>

extern "C" {
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

namespace speakai {

namespace {

// Largest single block libav may allocate (process-wide). Decoding never needs
// more than a packet, far below this; but demuxers size some tables from
// counts declared in the file: a fragmented MP4 of 1.7 KB whose 'trun' claims
// 160 million samples made the mov demuxer ask for 1.28 GB (found by fuzzing).
constexpr size_t kMaxLibavAllocation = 64 * 1024 * 1024;

}  // namespace

void ConfigureLibav() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Malformed uploads are expected input, and libmp3lame warns about its
    // own flush on every file; failures are reported through EngineError,
    // not as log spam on the server's stderr.
    av_log_set_level(AV_LOG_FATAL);
    av_max_alloc(kMaxLibavAllocation);
  });
}

}  // namespace speakai
