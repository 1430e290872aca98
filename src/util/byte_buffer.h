#pragma once
// A growable byte buffer whose free room is written through a pointer. std::string offers no
// such room before C++23: an encoder that writes up to twice its input before knowing how much
// it used must either zero-fill the worst case first (resize) or build in a scratch buffer and
// copy (append). For the export's 400 MB of escaped reads, either cost 2-4 % of a whole run.

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace bench {

class ByteBuffer {
 public:
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }
  void clear() { size_ = 0; }

  /// Room for at least `n` more bytes after the written ones; returns where it starts. The
  /// pointer stays valid until the next call that may grow the buffer.
  char* Room(size_t n) {
    if (capacity_ - size_ < n) Grow(n);
    return data_.get() + size_;
  }
  /// Marks everything before `end` (a pointer into the last Room) as written.
  void CommitTo(const char* end) { size_ = static_cast<size_t>(end - data_.get()); }

  void push_back(char c) {
    *Room(1) = c;
    ++size_;
  }
  void append(std::string_view s) {
    if (!s.empty()) std::memcpy(Room(s.size()), s.data(), s.size());
    size_ += s.size();
  }
  ByteBuffer& operator+=(std::string_view s) {
    append(s);
    return *this;
  }

 private:
  void Grow(size_t n) {
    size_t capacity = capacity_ < 256 ? 256 : 2 * capacity_;
    if (capacity - size_ < n) capacity = size_ + n;
    // Not value-initialised: the room is written before it is read.
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace bench
