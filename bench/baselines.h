// bench/baselines.h — the non-XPC halves of the ratios.
//
// Each baseline does the message work xpctest does (build the ~100-byte
// message, serialise or copy it, decode it on the other side, build the reply,
// read it back) over a plain transport:
//   - SocketPingPong: a Unix stream socketpair, client thread <-> server thread.
//   - CondvarPingPong: a mutex and two condition variables, same two threads.
//   - SocketStream: one-way streaming over a socketpair, the reader counting.
//
// Threading: each object owns its server (or reader) thread; call the client
// methods from one thread.
#ifndef XPCTEST_BENCH_BASELINES_H
#define XPCTEST_BENCH_BASELINES_H

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "bench_support.h"

namespace xpctest::bench {

// Reads length-prefixed frames from a stream socket, keeping what is left over.
class FrameReader {
 public:
  explicit FrameReader(int fd) : fd_(fd), buffer_(64 * 1024) {}
  // The next whole frame (valid until the next call), or null at EOF.
  const uint8_t* Next();

 private:
  int fd_;
  std::vector<uint8_t> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

bool WriteAll(int fd, const uint8_t* data, size_t size);

class SocketPingPong {
 public:
  SocketPingPong();
  ~SocketPingPong();
  // One request/reply; returns the echoed id, or -1.
  int64_t RoundTrip(int64_t id);

 private:
  int client_fd_;
  int server_fd_;
  std::thread server_;
  FrameReader reader_;
  std::vector<uint8_t> out_;
};

class CondvarPingPong {
 public:
  CondvarPingPong();
  ~CondvarPingPong();
  int64_t RoundTrip(int64_t id);

 private:
  void Serve();

  std::mutex mutex_;
  std::condition_variable request_ready_;
  std::condition_variable reply_ready_;
  std::vector<uint8_t> request_;  // a frame, while has_request_
  std::vector<uint8_t> reply_;    // a frame, while has_reply_
  bool has_request_ = false;
  bool has_reply_ = false;
  bool stop_ = false;
  std::thread server_;
};

// Sends `count` messages one way over a socketpair; the reader decodes and
// counts them. Returns the number the reader counted.
int64_t SocketStream(int64_t count);

}  // namespace xpctest::bench

#endif  // XPCTEST_BENCH_BASELINES_H
