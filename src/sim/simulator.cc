#include "sim/simulator.h"

// The server around the connections (sim/connection): the listening socket, one io_context per
// thread, start and stop.
#include <utility>  // Boost 1.74's asio/awaitable.hpp uses std::exchange without including it
#include <boost/asio.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/connection.h"
#include "sim/event_log.h"

namespace bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

}  // namespace

struct Simulator::Impl {
  explicit Impl(SimulatorOptions options) : shared(std::move(options)) {}

  void Accept() {
    const size_t index = next_context++ % contexts.size();
    asio::io_context& target = *contexts[index];
    acceptor->async_accept(target, [this, index](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors and the like: back off instead of spinning on accept.
        spdlog::warn("simulator: accept failed: {}", ec.message());
        retry_timer->expires_after(std::chrono::milliseconds(50));
        retry_timer->async_wait([this](error_code tec) {
          if (!tec) Accept();
        });
        return;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);  // small SSE events must not wait
      const auto executor = socket.get_executor();
      // Thread `index` runs `target`, so the connection may use that thread's log shard unlocked.
      SimEventLog::Shard* log = event_log ? &event_log->shard(static_cast<int>(index)) : nullptr;
      // Start on the connection's own loop so each connection is touched by one thread only.
      asio::post(executor, [this, log, socket = std::move(socket)]() mutable {
        ServeSimConnection(std::move(socket), shared, log);
      });
      Accept();
    });
  }

  // A Start that failed: nothing runs, and Wait() returns at once.
  void GiveUp() {
    {
      std::lock_guard lock(mu);
      stopped = true;
      finished = true;
    }
    stopped_cv.notify_all();
  }

  // A listening acceptor on the options' host and port, run by `context`; `ec` says why not.
  std::unique_ptr<tcp::acceptor> Listen(asio::io_context& context, error_code& ec) {
    const SimulatorOptions& o = shared.options;
    tcp::endpoint endpoint;
    {
      tcp::resolver resolver(context);
      auto results = resolver.resolve(o.host, std::to_string(o.port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
      if (!ec && results.empty()) ec = asio::error::host_not_found;
      if (!ec) endpoint = results.begin()->endpoint();
    }
    auto listener = std::make_unique<tcp::acceptor>(context);
    if (!ec) listener->open(endpoint.protocol(), ec);
    if (!ec) listener->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) listener->bind(endpoint, ec);
    if (!ec) listener->listen(asio::socket_base::max_listen_connections, ec);
    return listener;
  }

  SimShared shared;  // declared first: destroyed after the contexts that own the connections
  std::unique_ptr<SimEventLog> event_log;  // likewise: connections log when they are destroyed
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> retry_timer;
  std::vector<std::thread> threads;
  size_t next_context = 0;
  uint16_t port = 0;

  std::mutex mu;
  std::condition_variable stopped_cv;
  bool started = false;
  bool stopped = false;   // Stop() has begun (makes it idempotent)
  bool finished = false;  // threads joined and connections closed (what Wait() waits for)
};

Simulator::Simulator(SimulatorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

Simulator::~Simulator() { Stop(); }

uint16_t Simulator::Start() {
  Impl& im = *impl_;
  {
    std::lock_guard lock(im.mu);
    if (im.started) return im.port;
    if (im.stopped) throw std::runtime_error("simulator already stopped");
    im.started = true;
  }
  const SimulatorOptions& o = im.shared.options;
  const std::string where = o.host + ":" + std::to_string(o.port);
  const int n_threads = std::max(o.threads, 1);
  if (!o.event_log_path.empty()) {
    try {
      im.event_log = std::make_unique<SimEventLog>(o.event_log_path, n_threads);
    } catch (const std::exception&) {
      im.GiveUp();
      throw;
    }
  }
  for (int i = 0; i < n_threads; ++i) {
    // Concurrency hint 1: each context is run by exactly one thread, so Asio can skip locking.
    im.contexts.push_back(std::make_unique<asio::io_context>(1));
    im.guards.push_back(asio::make_work_guard(*im.contexts.back()));
  }
  asio::io_context& first = *im.contexts.front();

  error_code ec;
  auto acceptor = im.Listen(first, ec);
  if (ec) {
    acceptor.reset();
    im.guards.clear();
    im.contexts.clear();
    im.event_log.reset();
    im.GiveUp();
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  }
  im.port = acceptor->local_endpoint().port();
  im.acceptor = std::move(acceptor);
  im.retry_timer = std::make_unique<asio::steady_timer>(first);
  im.Accept();

  for (auto& context : im.contexts) {
    im.threads.emplace_back([ctx = context.get()] {
      // A handler that throws is a bug; log it and keep serving the other connections.
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("simulator: unexpected exception: {}", e.what());
        }
      }
    });
  }
  return im.port;
}

void Simulator::Stop() {
  Impl& im = *impl_;
  {
    std::lock_guard lock(im.mu);
    if (im.stopped) return;
    im.stopped = true;
    if (!im.started) im.finished = true;
  }
  // Stopping the loops abandons every pending read, write and timer at once; destroying the
  // contexts then destroys those handlers, which own the connections and so close their sockets.
  for (auto& context : im.contexts) context->stop();
  for (auto& thread : im.threads) thread.join();
  im.threads.clear();
  im.retry_timer.reset();
  im.acceptor.reset();
  im.guards.clear();
  im.contexts.clear();
  // Last: the connections destroyed with the contexts have just logged their records.
  if (im.event_log) {
    if (std::string error = im.event_log->Close(); !error.empty()) spdlog::error("simulator: {}", error);
  }
  {
    std::lock_guard lock(im.mu);
    im.finished = true;
  }
  im.stopped_cv.notify_all();
}

void Simulator::Wait() {
  Impl& im = *impl_;
  std::unique_lock lock(im.mu);
  im.stopped_cv.wait(lock, [&] { return im.finished; });
}

}  // namespace bench
