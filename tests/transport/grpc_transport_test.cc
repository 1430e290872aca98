// The gRPC transport against the simulator's Triton server on 127.0.0.1: one read (and one
// arrival timestamp) per streamed response, one for ModelInfer, and failures as data.
#include "transport/grpc_transport.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "sim/kserve_simulator.h"
#include "transport/kserve_check.h"
#include "util/clock.h"

namespace bench {
namespace {

class GrpcTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimulatorOptions options;
    options.port = 0;
    options.ttft_ms = 2;
    options.itl_ms = 1;
    sim_ = std::make_unique<KserveSimulator>(options);
    url_ = "http://127.0.0.1:" + std::to_string(sim_->Start());
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
  }
  void TearDown() override {
    transport_.reset();
    close(epoll_);
  }

  void Make(bool streaming, const std::string& backend, const std::string& url) {
    TransportSettings settings;
    settings.url = url;
    settings.streaming = streaming;
    settings.kserve_backend = backend;
    settings.request_timeout_s = 10;
    settings.headers = {"Content-Type: application/json", "Authorization: Bearer k"};
    transport_ = MakeGrpcTransport(settings, epoll_, &wake_);
  }

  // Drives the loop as a worker does until transfer 0 finishes (or 10 s pass).
  void RunOne(RawRecord& record, const std::string& body) {
    record.request_id = "req-1";
    record.handoff_mono_ns = MonotonicNowNs();
    transport_->Start(0, record, body);
    std::vector<size_t> done;
    const int64_t give_up = MonotonicNowNs() + 10'000'000'000;
    while (done.empty() && MonotonicNowNs() < give_up) {
      transport_->TakeFinished(done);
      if (!done.empty()) break;
      epoll_event events[8];
      const int n = epoll_wait(epoll_, events, 8, 100);
      ++wake_;
      for (int i = 0; i < n; ++i) transport_->OnEvent(events[i]);
    }
    ASSERT_EQ(done, std::vector<size_t>{0});
  }

  std::unique_ptr<KserveSimulator> sim_;
  std::string url_;
  int epoll_ = -1;
  uint32_t wake_ = 0;
  std::unique_ptr<Transport> transport_;
};

TEST_F(GrpcTransportTest, StreamingGivesOneTimestampedReadPerResponse) {
  Make(/*streaming=*/true, "tensorrtllm", url_);
  RawRecord r;
  RunOne(r, R"({"model":"m","text_input":["one two three"],"max_tokens":[6],"stream":[true]})");
  ASSERT_TRUE(r.Succeeded()) << r.transport_message;
  EXPECT_EQ(r.http_status, 200);
  ASSERT_EQ(r.read_mono_ns.size(), 6u);  // one token per response, the last one flagged final
  EXPECT_GE(r.read_mono_ns[0], r.send_mono_ns);
  for (size_t i = 1; i < r.read_mono_ns.size(); ++i) {
    EXPECT_GE(r.read_mono_ns[i], r.read_mono_ns[i - 1]);
    EXPECT_FALSE(r.Read(i).empty());
  }
  EXPECT_NE(r.Read(0).front(), ' ');  // the answer's first word has no leading space
}

TEST_F(GrpcTransportTest, VllmStreamReadsSamplingParameters) {
  Make(/*streaming=*/true, "vllm", url_);
  RawRecord r;
  RunOne(r, R"({"model":"m","text_input":["x"],"stream":[true],"sampling_parameters":["{\"max_tokens\": \"4\"}"]})");
  ASSERT_TRUE(r.Succeeded()) << r.transport_message;
  EXPECT_EQ(r.read_mono_ns.size(), 4u);
}

TEST_F(GrpcTransportTest, ModelInferGivesOneReadWithTheWholeText) {
  Make(/*streaming=*/false, "tensorrtllm", url_);
  RawRecord r;
  RunOne(r, R"({"model":"m","text_input":["x"],"max_tokens":[5]})");
  ASSERT_TRUE(r.Succeeded()) << r.transport_message;
  ASSERT_EQ(r.read_mono_ns.size(), 1u);
  size_t words = 1;
  for (const char c : r.Read(0)) words += c == ' ';
  EXPECT_EQ(words, 5u);
}

TEST_F(GrpcTransportTest, AServerErrorIsRecordedNotThrown) {
  Make(/*streaming=*/true, "tensorrtllm", url_);
  RawRecord r;
  RunOne(r, R"({"model":"m","max_tokens":[5],"stream":[true]})");  // no text_input
  EXPECT_FALSE(r.Succeeded());
  EXPECT_EQ(r.transport_error, ErrorKind::kServerError);
  EXPECT_NE(r.transport_message.find("text_input"), std::string::npos) << r.transport_message;
}

TEST_F(GrpcTransportTest, ABadBodyFailsTheRequestAtOnce) {
  Make(/*streaming=*/false, "vllm", url_);
  RawRecord r;
  RunOne(r, "not json");
  EXPECT_EQ(r.transport_error, ErrorKind::kOther);
  EXPECT_EQ(r.transport_message, "kserve request: request body is not a JSON object of input tensors");
}

TEST_F(GrpcTransportTest, NoServerIsAConnectError) {
  sim_->Stop();
  Make(/*streaming=*/true, "tensorrtllm", url_);
  RawRecord r;
  RunOne(r, R"({"model":"m","text_input":["x"],"max_tokens":[5],"stream":[true]})");
  EXPECT_EQ(r.transport_error, ErrorKind::kConnect) << r.transport_message;
}

TEST_F(GrpcTransportTest, AbortedTransfersAreNotReported) {
  Make(/*streaming=*/true, "tensorrtllm", url_);
  RawRecord r;
  transport_->Start(0, r, R"({"model":"m","text_input":["x"],"max_tokens":[500],"stream":[true]})");
  transport_->Abort(0);
  epoll_event events[8];
  const int n = epoll_wait(epoll_, events, 8, 200);
  for (int i = 0; i < n; ++i) transport_->OnEvent(events[i]);
  std::vector<size_t> done;
  transport_->TakeFinished(done);
  EXPECT_TRUE(done.empty());
  transport_.reset();  // waits for the cancelled call to end
}

TEST_F(GrpcTransportTest, ReadinessCheck) {
  EXPECT_EQ(CheckKserveReady(url_, "m", {}), "");
  EXPECT_EQ(CheckKserveReady("127.0.0.1:" + url_.substr(url_.rfind(':') + 1), "m", {}), "");
  sim_->Stop();
  const std::string why = CheckKserveReady(url_, "m", {});
  EXPECT_EQ(why.rfind("cannot reach the Triton server at 127.0.0.1:", 0), 0u) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos);
}

TEST(GrpcTargetTest, UrlForms) {
  std::string error;
  EXPECT_EQ(GrpcTargetOf("localhost:8001", error), "localhost:8001");
  EXPECT_EQ(GrpcTargetOf("http://h:1/v2", error), "h:1");
  EXPECT_EQ(GrpcTargetOf("https://h:1", error), "");
  EXPECT_NE(error.find("TLS is not supported yet"), std::string::npos);
}

}  // namespace
}  // namespace bench
