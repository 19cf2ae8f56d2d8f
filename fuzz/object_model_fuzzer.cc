// Fuzzes the object model: build, copy, equality, hash, description (S41,
// S44-S47). Each message body of the input, and each value in it, is a
// root; for every root, built twice from the same tree:
//   - the getters read back what was built (FuzzValueMismatch);
//   - the description is never empty, and names the type;
//   - xpc_copy holds the same values, shares no container with the original
//     (emptying the copy leaves the original whole), and equals it when
//     nothing inside is an fd or shmem (S41: those compare by identity);
//   - xpc_equal agrees with the tree's own equality, both ways round, for the
//     two builds and for every pair of roots; equal objects hash alike (S46).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "xpctest/fuzz.h"

namespace {

using xpctest::FuzzEntry;
using xpctest::FuzzInput;
using xpctest::FuzzType;
using xpctest::FuzzValue;
using xpctest::Object;

// What xpc_equal must say of two separately built objects: the same type and
// value (doubles by ==, so -0.0 equals 0.0 and NaN equals nothing), fds and
// shmem never (each build is a new object), endpoints of one listener always.
bool ModelEqual(const FuzzValue& a, const FuzzValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case FuzzType::kNull:
    case FuzzType::kEndpoint:
      return true;
    case FuzzType::kFd:
    case FuzzType::kShmem:
      return false;
    case FuzzType::kDouble: {
      double x, y;
      memcpy(&x, &a.bits, sizeof x);
      memcpy(&y, &b.bits, sizeof y);
      return x == y;
    }
    case FuzzType::kArray:
      if (a.entries.size() != b.entries.size()) return false;
      for (size_t i = 0; i < a.entries.size(); ++i) {
        if (!ModelEqual(a.entries[i].value, b.entries[i].value)) return false;
      }
      return true;
    case FuzzType::kDictionary:
      if (a.entries.size() != b.entries.size()) return false;
      for (const FuzzEntry& entry : a.entries) {
        const FuzzEntry* other = nullptr;
        for (const FuzzEntry& candidate : b.entries) {
          if (candidate.key == entry.key) other = &candidate;
        }
        if (other == nullptr || !ModelEqual(entry.value, other->value)) return false;
      }
      return true;
    default:
      return a.bits == b.bits && a.bytes == b.bytes;
  }
}

std::string Literal(const FuzzValue& value) { return xpctest::FuzzValueLiteral(value); }

void CheckEquality(const FuzzValue& a, const Object& x, const FuzzValue& b, const Object& y) {
  bool expected = ModelEqual(a, b);
  bool equal = xpc_equal(x.get(), y.get());
  if (equal != expected) {
    xpctest::ReportFuzzFinding(std::string("xpc_equal says ") + (equal ? "equal" : "different") +
                               " for " + Literal(a) + " and " + Literal(b));
  }
  if (xpc_equal(y.get(), x.get()) != equal) {
    xpctest::ReportFuzzFinding("xpc_equal is not symmetric for " + Literal(a) + " and " +
                               Literal(b));
  }
  if (equal && xpc_hash(x.get()) != xpc_hash(y.get())) {
    xpctest::ReportFuzzFinding("S46: equal objects hash differently: " + Literal(a) + " and " +
                               Literal(b));
  }
}

void CheckRoot(const FuzzValue& value, const xpctest::FuzzBuildContext& context) {
  Object x = xpctest::BuildFuzzValue(value, context);
  Object y = xpctest::BuildFuzzValue(value, context);
  std::string why = xpctest::FuzzValueMismatch(value, x.get());
  if (!why.empty()) xpctest::ReportFuzzFinding("built " + Literal(value) + ", read back: " + why);

  std::string description = x.Description();
  if (description.find(xpc_type_get_name(x.type())) == std::string::npos) {
    xpctest::ReportFuzzFinding("the description of " + Literal(value) + " does not name its type",
                               description);
  }
  if (xpc_hash(x.get()) != xpc_hash(x.get())) {
    xpctest::ReportFuzzFinding("xpc_hash changes between calls for " + Literal(value));
  }

  Object copy = Object::Adopt(xpc_copy(x.get()));
  why = xpctest::FuzzValueMismatch(value, copy.get());
  if (!why.empty()) xpctest::ReportFuzzFinding("xpc_copy of " + Literal(value) + ": " + why);
  bool comparable =
      !FuzzValueContains(value, FuzzType::kFd) && !FuzzValueContains(value, FuzzType::kShmem);
  if (comparable && !xpc_equal(x.get(), copy.get())) {
    xpctest::ReportFuzzFinding("S44: xpc_copy of " + Literal(value) + " is not equal to it");
  }
  if (comparable && xpc_hash(x.get()) != xpc_hash(copy.get())) {
    xpctest::ReportFuzzFinding("S46: xpc_copy of " + Literal(value) + " hashes differently");
  }
  xpctest::EmptyAllContainers(copy.get());
  why = xpctest::FuzzValueMismatch(value, x.get());
  if (!why.empty()) {
    xpctest::ReportFuzzFinding("S44: emptying the copy of " + Literal(value) +
                               " changed it: " + why);
  }
  CheckEquality(value, x, value, y);
}

// An anonymous listener for endpoints to point at, in a world of its own,
// made only for inputs that hold endpoints.
class EndpointTarget {
 public:
  EndpointTarget() : listener_(xpc_connection_create(nullptr, nullptr)) {
    xpc_connection_set_event_handler(listener_, ^(xpc_object_t) {});
    xpc_connection_activate(listener_);
  }
  ~EndpointTarget() {
    xpc_connection_cancel(listener_);
    xpc_release(listener_);
    world_.RunUntilIdle();
  }
  xpc_connection_t listener() const { return listener_; }

 private:
  xpctest::control::World world_;  // made first: the listener is made in it
  xpc_connection_t listener_;
};

void CheckObjectModel(const FuzzInput& input) {
  std::optional<EndpointTarget> endpoints;
  for (const xpctest::FuzzMessage& message : input) {
    if (!endpoints && FuzzValueContains(message.body, FuzzType::kEndpoint)) endpoints.emplace();
  }
  xpctest::FuzzBuildContext context{endpoints ? endpoints->listener() : nullptr};

  std::vector<const FuzzValue*> roots;
  for (const xpctest::FuzzMessage& message : input) {
    roots.push_back(&message.body);
    for (const FuzzEntry& entry : message.body.entries) roots.push_back(&entry.value);
  }
  for (const FuzzValue* root : roots) CheckRoot(*root, context);
  // Every pair of roots, up to a bound that keeps an input cheap.
  size_t count = std::min<size_t>(roots.size(), 12);
  std::vector<Object> built;
  for (size_t i = 0; i < count; ++i) built.push_back(xpctest::BuildFuzzValue(*roots[i], context));
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = i + 1; j < count; ++j) CheckEquality(*roots[i], built[i], *roots[j], built[j]);
  }
}

}  // namespace

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Check(CheckObjectModel, {
    .limits = {.max_messages = 4, .max_connections = 1, .max_depth = 32},
}))
