#include "audio/memory_output.h"

#include <cstring>
#include <new>

#include "audio/avio_seek.h"

namespace speakai {

namespace {
constexpr int kIoBufferSize = 32 * 1024;
// Far above any reference clip (a minute of 16-bit WAV at 48 kHz is 5.8 MB);
// a runaway muxer fails instead of eating memory.
constexpr int64_t kMaxOutputBytes = 64 * 1024 * 1024;
}  // namespace

MemoryOutput::MemoryOutput() {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBufferSize));
  if (buffer == nullptr) throw std::bad_alloc();
  AVIOContext* io = avio_alloc_context(buffer, kIoBufferSize, /*write_flag=*/1, this, nullptr,
                                       &Write, &Seek);
  if (io == nullptr) {
    av_free(buffer);
    throw std::bad_alloc();
  }
  io_.reset(io);
}

std::vector<uint8_t> MemoryOutput::Take() {
  avio_flush(io_.get());
  return std::move(bytes_);
}

int MemoryOutput::Write(void* opaque, AvioWriteBuffer buf, int size) {
  auto* self = static_cast<MemoryOutput*>(opaque);
  if (size < 0 || static_cast<int64_t>(self->pos_) + size > kMaxOutputBytes) return AVERROR(ENOSPC);
  const size_t end = self->pos_ + static_cast<size_t>(size);
  try {
    if (end > self->bytes_.size()) self->bytes_.resize(end);
  } catch (const std::bad_alloc&) {
    return AVERROR(ENOMEM);  // never unwind through libav's C frames
  }
  std::memcpy(self->bytes_.data() + self->pos_, buf, static_cast<size_t>(size));
  self->pos_ = end;
  return size;
}

int64_t MemoryOutput::Seek(void* opaque, int64_t offset, int whence) {
  auto* self = static_cast<MemoryOutput*>(opaque);
  const auto size = static_cast<int64_t>(self->bytes_.size());
  if (whence & AVSEEK_SIZE) return size;

  const int64_t target = SeekTarget(offset, whence, static_cast<int64_t>(self->pos_), size);
  // Seeking past the end is allowed (the gap is zero-filled by the next write).
  if (target < 0 || target > kMaxOutputBytes) return AVERROR(EINVAL);
  self->pos_ = static_cast<size_t>(target);
  return target;
}

}  // namespace speakai
