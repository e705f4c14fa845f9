#pragma once

#include <cstddef>
#include <cstdint>

#include "audio/av_ptr.h"

namespace speakai {

// A read-only, seekable AVIOContext over a caller-owned byte range, so that
// uploads are demuxed straight from memory (no temp files, no protocols).
// The bytes must outlive this object; not copyable or movable because the
// AVIOContext keeps a pointer to it.
class MemoryInput {
 public:
  MemoryInput(const uint8_t* data, size_t size);
  MemoryInput(const MemoryInput&) = delete;
  MemoryInput& operator=(const MemoryInput&) = delete;

  AVIOContext* io() const { return io_.get(); }

 private:
  static int Read(void* opaque, uint8_t* buf, int bufSize);
  static int64_t Seek(void* opaque, int64_t offset, int whence);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  av::IoContextPtr io_;
};

}  // namespace speakai
