#include "telemetry/collector.h"

#include <curl/curl.h>

#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "telemetry/prometheus.h"

namespace bench {
namespace {

struct Sink {
  std::string* body;
  size_t max;
  bool too_big = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->body->size() + size * n > sink->max) {
    sink->too_big = true;
    return 0;  // aborts the transfer
  }
  sink->body->append(data, size * n);
  return size * n;
}

}  // namespace

PageFetcher::PageFetcher(std::string url, const CollectorOptions& options)
    : url_(std::move(url)), max_bytes_(options.max_page_bytes), curl_(curl_easy_init()) {
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return;
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip when the exporter offers it
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
  ApplyTlsOptions(c, options.tls);
}

PageFetcher::~PageFetcher() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

PageFetch PageFetcher::Fetch() {
  PageFetch fetch;
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) {
    fetch.error = "libcurl could not start";
    return fetch;
  }
  Sink sink{&fetch.body, max_bytes_};
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(c);
  if (sink.too_big) {
    fetch.body.clear();
    fetch.error = fmt::format("the page is larger than {} MiB", max_bytes_ >> 20);
    return fetch;
  }
  if (rc != CURLE_OK) {
    fetch.body.clear();
    fetch.error = curl_easy_strerror(rc);
    return fetch;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    fetch.body.clear();
    fetch.error = fmt::format("HTTP {}", status);
    return fetch;
  }
  const char* type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
  if (type && std::string_view(type).rfind("text/html", 0) == 0) {
    fetch.body.clear();
    fetch.error = "an HTML page, not Prometheus metrics";
  }
  return fetch;
}

TelemetryCollector::TelemetryCollector(CollectorOptions options, const EpochAnchor& anchor)
    : options_(std::move(options)), anchor_(anchor) {
  for (const std::string& url : options_.urls) {
    const PageFetch check = PageFetcher(url, options_).Fetch();
    if (!check.error.empty()) {
      if (options_.quiet_unreachable) {
        spdlog::info("no GPU telemetry: nothing at the default metrics URL {} ({})", RedactUrl(url), check.error);
      } else {
        spdlog::warn("Skipping unreachable metrics URL: {} ({})", RedactUrl(url), check.error);
      }
      continue;
    }
    results_.push_back(std::make_unique<UrlTelemetry>());
    results_.back()->url = url;
  }
}

TelemetryCollector::~TelemetryCollector() { Stop(); }

void TelemetryCollector::Start() {
  for (size_t i = 0; i < results_.size(); ++i) threads_.emplace_back([this, i] { Run(i); });
}

void TelemetryCollector::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void TelemetryCollector::Run(size_t i) {
  UrlTelemetry& r = *results_[i];
  PageFetcher fetcher(r.url, options_);
  bool warned_fetch = false;
  bool warned_parse = false;
  for (;;) {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      last = stop_;
    }
    const PageFetch fetch = fetcher.Fetch();
    const int64_t now = anchor_.ToEpochNs(MonotonicNowNs());
    if (!fetch.error.empty()) {
      ++r.failed_scrapes;
      if (!warned_fetch) {
        spdlog::warn("metrics URL {}: {}; the run goes on (further failures are counted in the bench file)",
                     RedactUrl(r.url), fetch.error);
        warned_fetch = true;
      }
    } else {
      const MetricsPage page = ParsePrometheusText(fetch.body);
      ++r.scrapes;
      r.bad_lines += page.error_count;
      if (page.error_count > 0 && !warned_parse) {
        spdlog::warn("metrics URL {}: {} malformed line(s) skipped, the first at line {}: {}", RedactUrl(r.url),
                     page.error_count, page.errors[0].line, page.errors[0].message);
        warned_parse = true;
      }
      r.gpu.AddPage(page);
      r.server.AddPage(page, now);
    }
    if (last) return;
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::duration<double>(options_.interval_s), [this] { return stop_; });
  }
}

}  // namespace bench
