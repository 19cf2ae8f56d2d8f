#include "xpctest/printers.h"

#include <cstdlib>

namespace xpctest {

std::string Describe(xpc_object_t object) {
  if (object == nullptr) return "NULL";
  char* text = xpc_copy_description(object);
  std::string description = text != nullptr ? text : "";
  free(text);
  return description;
}

void PrintTo(const Object& object, std::ostream* os) { *os << Describe(object.get()); }

}  // namespace xpctest

std::ostream& operator<<(std::ostream& os, xpc_connection_t connection) {
  return os << xpctest::Describe(connection);
}
std::ostream& operator<<(std::ostream& os, xpc_endpoint_t endpoint) {
  return os << xpctest::Describe(endpoint);
}
std::ostream& operator<<(std::ostream& os, xpc_session_t session) {
  return os << xpctest::Describe(session);
}
std::ostream& operator<<(std::ostream& os, xpc_listener_t listener) {
  return os << xpctest::Describe(listener);
}
std::ostream& operator<<(std::ostream& os, xpc_rich_error_t error) {
  return os << xpctest::Describe(error);
}
std::ostream& operator<<(std::ostream& os, xpc_peer_requirement_t requirement) {
  return os << xpctest::Describe(requirement);
}
