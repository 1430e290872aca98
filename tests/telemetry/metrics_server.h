#pragma once
// A loopback /metrics server for the telemetry tests: each GET is answered with the page a
// test function makes for that scrape number, with the status and content type a test picks,
// and DCGM-exporter pages in the exporter's real format (its # HELP/# TYPE lines and its label
// set: gpu, UUID, device, modelName, Hostname).

#include <atomic>
#include <functional>
#include <string>

#include <fmt/format.h>

#include "scripted_server.h"

namespace bench::test {

class MetricsServer {
 public:
  using Page = std::function<std::string(int scrape)>;
  explicit MetricsServer(Page page, int status = 200,
                         std::string content_type = "text/plain; version=0.0.4; charset=utf-8", int delay_ms = 0)
      : page_(std::move(page)),
        server_([this, status, content_type, delay_ms](int fd, const std::string&, int, int) {
          const int n = scrapes_++;
          if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
          const std::string body = page_(n);
          const std::string head = fmt::format("HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
                                               status, content_type, body.size());
          const std::string all = head + body;
          return send(fd, all.data(), all.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(all.size());
        }) {}
  std::string url() const {
    std::string u = server_.url();
    return u.substr(0, u.find("/v1/")) + "/metrics";
  }
  int scrapes() const { return scrapes_; }

 private:
  Page page_;
  std::atomic<int> scrapes_{0};
  ScriptedServer server_;
};

/// A dcgm-exporter page for two GPUs whose power and utilisation change with `scrape`.
inline std::string DcgmPage(int scrape) {
  std::string page;
  auto field = [&page](const char* name, const char* help, const char* type, double gpu0, double gpu1) {
    page += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    const double values[2] = {gpu0, gpu1};
    for (int g = 0; g < 2; ++g) {
      page += fmt::format(
          "{}{{gpu=\"{}\",UUID=\"GPU-0c1a2b3d-4e5f-6789-abcd-ef012345678{}\",pci_bus_id=\"00000000:0{}:00.0\","
          "device=\"nvidia{}\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"bench-host\","
          "DCGM_FI_DRIVER_VERSION=\"550.54.15\"}} {}\n",
          name, g, g, g + 1, g, values[g]);
    }
  };
  field("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", "gauge", 1980, 1980);
  field("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", "gauge", 40 + scrape, 45);
  field("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", "gauge", 100 + 10 * scrape, 70);
  field("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "Total energy consumption since boot (in mJ).", "counter",
        1e9 + 1e6 * scrape, 2e9);
  field("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", "gauge", scrape % 2 ? 90 : 60, 0);
  field("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", "gauge", 1000, 80000);
  field("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", "gauge", 80000, 1000);
  field("DCGM_FI_DEV_POWER_MGMT_LIMIT", "Power management limit (in W).", "gauge", 700, 700);
  return page;
}

}  // namespace bench::test
