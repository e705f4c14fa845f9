#include "audio/memory_input.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "audio/avio_seek.h"

namespace speakai {

namespace {
constexpr int kIoBufferSize = 64 * 1024;
}

MemoryInput::MemoryInput(const uint8_t* data, size_t size) : data_(data), size_(size) {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBufferSize));
  if (buffer == nullptr) throw std::bad_alloc();
  AVIOContext* io = avio_alloc_context(buffer, kIoBufferSize, /*write_flag=*/0, this, &Read,
                                       nullptr, &Seek);
  if (io == nullptr) {
    av_free(buffer);
    throw std::bad_alloc();
  }
  io_.reset(io);
}

int MemoryInput::Read(void* opaque, uint8_t* buf, int bufSize) {
  auto* self = static_cast<MemoryInput*>(opaque);
  const size_t n = std::min(static_cast<size_t>(bufSize), self->size_ - self->pos_);
  if (n == 0) return AVERROR_EOF;
  std::memcpy(buf, self->data_ + self->pos_, n);
  self->pos_ += n;
  return static_cast<int>(n);
}

int64_t MemoryInput::Seek(void* opaque, int64_t offset, int whence) {
  auto* self = static_cast<MemoryInput*>(opaque);
  const auto size = static_cast<int64_t>(self->size_);
  if (whence & AVSEEK_SIZE) return size;

  const int64_t target = SeekTarget(offset, whence, static_cast<int64_t>(self->pos_), size);
  if (target < 0 || target > size) return AVERROR(EINVAL);
  self->pos_ = static_cast<size_t>(target);
  return target;
}

}  // namespace speakai
