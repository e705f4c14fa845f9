#pragma once

#include <cstdint>
#include <cstdio>

#include "audio/av_ptr.h"

namespace speakai {

// Where an AVIOContext seek callback's (offset, whence) points, from
// `position` in a stream of `size` bytes; -1 for a whence libav never sends.
// AVSEEK_SIZE is the caller's to answer first.
inline int64_t SeekTarget(int64_t offset, int whence, int64_t position, int64_t size) {
  switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET: return offset;
    case SEEK_CUR: return position + offset;
    case SEEK_END: return size + offset;
    default: return -1;
  }
}

}  // namespace speakai
