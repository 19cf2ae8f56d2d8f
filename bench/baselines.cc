#include "baselines.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace xpctest::bench {

namespace {

void MakeSocketPair(int* a, int* b) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  }
  *a = fds[0];
  *b = fds[1];
}

// The service's side of one request: decode, build the reply, encode it.
void AnswerFrame(const uint8_t* frame, std::vector<uint8_t>* out) {
  PlainMessage request = Decode(frame);
  PlainMessage reply = MakePlainReply(request);
  out->clear();
  Encode(reply, out);
}

// The client's side of a reply: decode and check, as ReadReply does.
int64_t ReadPlainReply(const uint8_t* frame) {
  if (frame == nullptr) return -1;
  PlainMessage reply = Decode(frame);
  if (reply.payload.size() != kPayloadSize) return -1;
  return reply.id;
}

}  // namespace

const uint8_t* FrameReader::Next() {
  while (true) {
    size_t size = FrameSize(buffer_.data() + begin_, end_ - begin_);
    if (size > 0) {
      const uint8_t* frame = buffer_.data() + begin_;
      begin_ += size;
      return frame;
    }
    // Move the partial frame to the front, then read more.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    ssize_t n = read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return nullptr;
    end_ += static_cast<size_t>(n);
  }
}

bool WriteAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

SocketPingPong::SocketPingPong() : reader_(-1) {
  MakeSocketPair(&client_fd_, &server_fd_);
  reader_ = FrameReader(client_fd_);
  int fd = server_fd_;
  server_ = std::thread([fd] {
    FrameReader reader(fd);
    std::vector<uint8_t> out;
    while (const uint8_t* frame = reader.Next()) {
      AnswerFrame(frame, &out);
      if (!WriteAll(fd, out.data(), out.size())) return;
    }
  });
}

SocketPingPong::~SocketPingPong() {
  shutdown(client_fd_, SHUT_WR);  // the server sees EOF and returns
  server_.join();
  close(client_fd_);
  close(server_fd_);
}

int64_t SocketPingPong::RoundTrip(int64_t id) {
  PlainMessage request = MakePlainRequest(id);
  out_.clear();
  Encode(request, &out_);
  if (!WriteAll(client_fd_, out_.data(), out_.size())) return -1;
  return ReadPlainReply(reader_.Next());
}

CondvarPingPong::CondvarPingPong() : server_([this] { Serve(); }) {}

CondvarPingPong::~CondvarPingPong() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  request_ready_.notify_one();
  server_.join();
}

void CondvarPingPong::Serve() {
  std::vector<uint8_t> in;
  std::vector<uint8_t> out;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      request_ready_.wait(lock, [this] { return has_request_ || stop_; });
      if (stop_) return;
      in.swap(request_);  // the "receive": the frame leaves the shared slot
      has_request_ = false;
    }
    AnswerFrame(in.data(), &out);
    {
      std::lock_guard lock(mutex_);
      reply_.assign(out.begin(), out.end());  // the "send": a copy into the slot
      has_reply_ = true;
    }
    reply_ready_.notify_one();
  }
}

int64_t CondvarPingPong::RoundTrip(int64_t id) {
  PlainMessage request = MakePlainRequest(id);
  std::vector<uint8_t> frame;
  Encode(request, &frame);
  {
    std::lock_guard lock(mutex_);
    request_.assign(frame.begin(), frame.end());
    has_request_ = true;
  }
  request_ready_.notify_one();
  std::vector<uint8_t> reply;
  {
    std::unique_lock lock(mutex_);
    reply_ready_.wait(lock, [this] { return has_reply_; });
    reply.swap(reply_);
    has_reply_ = false;
  }
  return ReadPlainReply(reply.data());
}

int64_t SocketStream(int64_t count) {
  int writer_fd;
  int reader_fd;
  MakeSocketPair(&writer_fd, &reader_fd);
  int64_t counted = 0;
  std::thread reader_thread([reader_fd, &counted] {
    FrameReader reader(reader_fd);
    while (const uint8_t* frame = reader.Next()) {
      PlainMessage message = Decode(frame);
      if (message.payload.size() == kPayloadSize) ++counted;
    }
  });
  // One write per message, as xpc_connection_send_message is one call per
  // message; the reader drains whatever has arrived in one read.
  std::vector<uint8_t> out;
  for (int64_t i = 0; i < count; ++i) {
    PlainMessage message = MakePlainRequest(i);
    out.clear();
    Encode(message, &out);
    if (!WriteAll(writer_fd, out.data(), out.size())) break;
  }
  shutdown(writer_fd, SHUT_WR);
  reader_thread.join();
  close(writer_fd);
  close(reader_fd);
  return counted;
}

}  // namespace xpctest::bench
