#include "sim/event_log.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace bench {
namespace {

// A shard hands its buffer over at this size: large enough that the lock is taken a few times
// per second at most, small enough that a crash loses little.
constexpr size_t kHandOffBytes = 64 << 10;

void AppendInt(std::string& out, int64_t v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, end);
}

// Header bytes are arbitrary; bytes outside printable ASCII become \u00XX so every line is
// valid JSON whatever a client sent (request ids are ASCII in practice).
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      out.append("\\u00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

void AppendIntArray(std::string& out, const std::vector<int64_t>& values) {
  out.push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendInt(out, values[i]);
  }
  out.push_back(']');
}

}  // namespace

void AppendEventLogLine(std::string& out, const SimEventRecord& record) {
  out.append("{\"request_id\":");
  AppendJsonString(out, record.request_id);
  out.append(",\"received_ns\":");
  AppendInt(out, record.received_ns);
  if (record.arrived_ns != 0) {
    out.append(",\"arrived_ns\":");
    AppendInt(out, record.arrived_ns);
  }
  out.append(",\"event_ns\":");
  AppendIntArray(out, record.event_ns);
  if (!record.start_ns.empty()) {
    out.append(",\"start_ns\":");
    AppendIntArray(out, record.start_ns);
  }
  if (!record.due_ns.empty()) {
    out.append(",\"due_ns\":");
    AppendIntArray(out, record.due_ns);
  }
  out.append("}\n");
}

void SimEventLog::Shard::Append(const SimEventRecord& record) {
  AppendEventLogLine(buffer_, record);
  if (buffer_.size() >= kHandOffBytes) log_.Submit(std::exchange(buffer_, std::string()));
}

SimEventLog::SimEventLog(const std::string& path, int shards) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    throw std::runtime_error("cannot open event log " + path + ": " + std::strerror(errno));
  }
  for (int i = 0; i < std::max(shards, 1); ++i) shards_.push_back(std::unique_ptr<Shard>(new Shard(*this)));
  writer_ = std::thread([this] { WriterLoop(); });
}

SimEventLog::~SimEventLog() { Close(); }

void SimEventLog::Submit(std::string chunk) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(chunk));
  }
  cv_.notify_one();
}

void SimEventLog::WriterLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
    if (queue_.empty()) return;  // done_ and nothing left
    std::string chunk = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    if (!write_failed_ && std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size()) {
      write_failed_ = true;
    }
    lock.lock();
  }
}

std::string SimEventLog::Close() {
  if (closed_) return {};
  closed_ = true;
  for (auto& shard : shards_) {
    if (!shard->buffer_.empty()) Submit(std::exchange(shard->buffer_, std::string()));
  }
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_one();
  writer_.join();
  const bool close_failed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (write_failed_ || close_failed) return "cannot write event log " + path_;
  return {};
}

}  // namespace bench
