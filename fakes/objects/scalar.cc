#include "objects/scalar.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <new>

namespace xpctest::fakes::objects {

void BoolTraits::Describe(std::string& out, bool value) { out += value ? "true" : "false"; }
void Int64Traits::Describe(std::string& out, int64_t value) { out += fmt::format("{}", value); }
void Uint64Traits::Describe(std::string& out, uint64_t value) { out += fmt::format("{}", value); }
void DoubleTraits::Describe(std::string& out, double value) {
  out += fmt::format("{:f}", value);
}
void DateTraits::Describe(std::string& out, int64_t value) {
  // Apple prints local time; we print UTC so descriptions are reproducible.
  int64_t seconds = value / 1'000'000'000;
  if (value % 1'000'000'000 < 0) --seconds;
  time_t time = static_cast<time_t>(seconds);
  tm parts{};
  char text[64] = "(invalid date)";
  if (gmtime_r(&time, &parts) != nullptr) {
    strftime(text, sizeof text, "%a %b %d %H:%M:%S %Y UTC", &parts);
  }
  out += text;
}

namespace {

template <class Value>
size_t HashValue(Kind kind, Value value) {
  if constexpr (std::is_floating_point_v<Value>) {
    if (value == 0) value = 0;  // S46: 0.0 == -0.0 must hash alike
  }
  return std::hash<Value>()(value) * 31 + static_cast<size_t>(kind);
}

}  // namespace

template <class Traits>
size_t Scalar<Traits>::Hash() const {
  return HashValue(kKind, value_);
}

template <class Traits>
void Scalar<Traits>::AppendDescription(std::string& out, int depth) const {
  out += DescriptionHeader(*this);
  // S108: dates print "<date: ADDR> value", the others "<type: ADDR>: value".
  out += kKind == Kind::kDate ? " " : ": ";
  Traits::Describe(out, value_);
}

template class Scalar<BoolTraits>;
template class Scalar<Int64Traits>;
template class Scalar<Uint64Traits>;
template class Scalar<DoubleTraits>;
template class Scalar<DateTraits>;

int64_t CurrentDateNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace xpctest::fakes::objects

// Raw, writable storage under the names <xpc/xpc.h> declares (the mutable
// member keeps the const objects out of read-only memory). The Bool objects
// are constructed in place before any user static initializer runs and are
// never destroyed.
struct _xpc_bool_s {
  alignas(xpctest::fakes::objects::Bool) mutable unsigned char
      bytes[sizeof(xpctest::fakes::objects::Bool)];
};
const _xpc_bool_s _xpc_bool_true{};
const _xpc_bool_s _xpc_bool_false{};

namespace xpctest::fakes::objects {

struct BoolStorage {
  BoolStorage() {
    new (_xpc_bool_true.bytes) Bool(true);
    new (_xpc_bool_false.bytes) Bool(false);
  }
};

namespace {
__attribute__((init_priority(101))) BoolStorage g_bool_storage;
}  // namespace

Bool* Bool::Singleton(bool value) {
  return std::launder(
      reinterpret_cast<Bool*>(value ? _xpc_bool_true.bytes : _xpc_bool_false.bytes));
}

}  // namespace xpctest::fakes::objects
