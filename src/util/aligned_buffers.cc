#include "util/aligned_buffers.h"

#include <algorithm>
#include <new>

namespace bench {

AlignedBlock AllocateAligned(size_t alignment, size_t size) {
  void* p = nullptr;
  if (posix_memalign(&p, alignment, size) != 0) throw std::bad_alloc();
  return AlignedBlock(static_cast<char*>(p));
}

AlignedBuffers::AlignedBuffers(size_t buffer_size, size_t max_buffers)
    : size_(buffer_size), max_(std::max<size_t>(max_buffers, 1)) {}

char* AlignedBuffers::Add() {
  all_.push_back(AllocateAligned(kAlignment, size_));
  return all_.back().get();
}

char* AlignedBuffers::Reclaim() {
  if (all_.empty()) return Add();
  free_.clear();
  for (size_t i = 1; i < all_.size(); ++i) free_.push_back(all_[i].get());
  return all_.front().get();
}

void AlignedBuffers::KeepOnly(const char* keep) {
  free_.clear();
  std::erase_if(all_, [&](const AlignedBlock& b) { return b.get() != keep; });
}

}  // namespace bench
