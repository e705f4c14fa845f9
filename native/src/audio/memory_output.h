#pragma once

#include <cstdint>
#include <vector>

#include "audio/av_ptr.h"

namespace speakai {

// libavformat 61 made the write callback's buffer const.
#if LIBAVFORMAT_VERSION_MAJOR < 61
using AvioWriteBuffer = uint8_t*;
#else
using AvioWriteBuffer = const uint8_t*;
#endif

// A writable, seekable AVIOContext that collects a muxer's output in memory:
// muxers that patch their header at the end (WAV sizes, the MP3 Xing/LAME
// frame) seek back, so writes may land anywhere in what is already written.
// Not copyable or movable because the AVIOContext keeps a pointer to it.
class MemoryOutput {
 public:
  MemoryOutput();
  MemoryOutput(const MemoryOutput&) = delete;
  MemoryOutput& operator=(const MemoryOutput&) = delete;

  AVIOContext* io() const { return io_.get(); }
  // Flushes the context's buffer and hands over the bytes.
  std::vector<uint8_t> Take();

 private:
  static int Write(void* opaque, AvioWriteBuffer buf, int size);
  static int64_t Seek(void* opaque, int64_t offset, int whence);

  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
  av::IoContextPtr io_;
};

}  // namespace speakai
