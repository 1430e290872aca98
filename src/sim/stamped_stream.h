#pragma once
// The read side of a simulator connection, for Beast: each read is one recvmsg that also takes the
// kernel's receive stamp (transport/rx_timestamp), so the send log can say when a request reached
// the server's socket, not only when the io thread got round to reading it. On a busy simulator
// the two differ by the loop's backlog, and that wait is the server's latency, which a client
// rightly sees in its TTFT: the fidelity benchmark needs the arrival to tell it apart from the
// client's own timestamp error.
//
// Only sim/connection.cc includes this (it pays Asio's compile time already).

#include <cerrno>
#include <cstdint>
#include <utility>  // Boost 1.74's asio/awaitable.hpp uses std::exchange without including it
#include <boost/asio.hpp>

#include "transport/rx_timestamp.h"

namespace bench {

/// An AsyncReadStream over a borrowed, connected TCP socket. Writes and closing stay on the socket.
class StampedStream {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;

  explicit StampedStream(socket_type& socket) : socket_(socket) {
    stamped_ = EnableRxTimestamps(socket_.native_handle());
  }

  executor_type get_executor() { return socket_.get_executor(); }

  /// Waits until the socket is readable, then reads once into the first buffer of `buffers`.
  template <class MutableBufferSequence, class ReadHandler>
  auto async_read_some(const MutableBufferSequence& buffers, ReadHandler&& handler) {
    return boost::asio::async_initiate<ReadHandler, void(boost::system::error_code, std::size_t)>(
        [this](auto completion, const MutableBufferSequence& into) {
          this->Wait(std::move(completion), *boost::asio::buffer_sequence_begin(into));
        },
        handler, buffers);
  }

  /// Monotonic ns at which the bytes of the last read reached the socket: the kernel's stamp when
  /// there was one, else the time of the read. 0 before any read.
  int64_t last_arrival_ns() const { return last_arrival_ns_; }
  /// False when the kernel refused SO_TIMESTAMPNS (arrivals are then read times).
  bool stamped() const { return stamped_; }

 private:
  template <class Completion>
  void Wait(Completion completion, boost::asio::mutable_buffer into) {
    socket_.async_wait(socket_type::wait_read,
                       [this, completion = std::move(completion), into](boost::system::error_code ec) mutable {
                         if (ec) return completion(ec, std::size_t{0});
                         Read(std::move(completion), into);
                       });
  }

  template <class Completion>
  void Read(Completion completion, boost::asio::mutable_buffer into) {
    int64_t kernel_ns = 0;
    ssize_t n;
    do {
      n = RecvStamped(socket_.native_handle(), static_cast<char*>(into.data()), into.size(), &kernel_ns);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Wait(std::move(completion), into);
    if (n < 0) return completion(boost::system::error_code(errno, boost::system::system_category()), std::size_t{0});
    if (n == 0 && into.size() > 0) return completion(boost::asio::error::eof, std::size_t{0});
    last_arrival_ns_ = ReadTimeOf(kernel_ns, 0).mono_ns;
    completion(boost::system::error_code(), static_cast<std::size_t>(n));
  }

  socket_type& socket_;
  int64_t last_arrival_ns_ = 0;
  bool stamped_ = false;
};

}  // namespace bench
