// The type descriptors behind XPC_TYPE_* (S1) and their short names (P4).
#include <xpc/xpc.h>

#include "base/report.h"
#include "objects/object.h"

using xpctest::fakes::objects::Kind;

// Each definition takes the prefixed link name of its declaration in <xpc/*.h>.
const _xpc_type_s _xpc_type_null{Kind::kNull, "null"};
const _xpc_type_s _xpc_type_bool{Kind::kBool, "bool"};
const _xpc_type_s _xpc_type_int64{Kind::kInt64, "int64"};
const _xpc_type_s _xpc_type_uint64{Kind::kUint64, "uint64"};
const _xpc_type_s _xpc_type_double{Kind::kDouble, "double"};
const _xpc_type_s _xpc_type_date{Kind::kDate, "date"};
const _xpc_type_s _xpc_type_data{Kind::kData, "data"};
const _xpc_type_s _xpc_type_string{Kind::kString, "string"};
const _xpc_type_s _xpc_type_uuid{Kind::kUuid, "uuid"};
const _xpc_type_s _xpc_type_fd{Kind::kFd, "fd"};
const _xpc_type_s _xpc_type_shmem{Kind::kShmem, "shmem"};
const _xpc_type_s _xpc_type_array{Kind::kArray, "array"};
const _xpc_type_s _xpc_type_dictionary{Kind::kDictionary, "dictionary"};
const _xpc_type_s _xpc_type_error{Kind::kError, "error"};
const _xpc_type_s _xpc_type_connection{Kind::kConnection, "connection"};
const _xpc_type_s _xpc_type_endpoint{Kind::kEndpoint, "endpoint"};
const _xpc_type_s _xpc_type_session{Kind::kSession, "session"};
const _xpc_type_s _xpc_type_listener{Kind::kListener, "listener"};
const _xpc_type_s _xpc_type_rich_error{Kind::kRichError, "rich_error"};
const _xpc_type_s _xpc_type_activity{Kind::kActivity, "activity"};

namespace xpctest::fakes::objects {
namespace {
// Apple publishes no XPC_TYPE_* for peer requirements; this one is internal.
constexpr _xpc_type_s kPeerRequirementType{Kind::kPeerRequirement, "peer_requirement"};
}  // namespace

xpc_type_t TypeOf(Kind kind) {
  switch (kind) {
    case Kind::kNull: return &_xpc_type_null;
    case Kind::kBool: return &_xpc_type_bool;
    case Kind::kInt64: return &_xpc_type_int64;
    case Kind::kUint64: return &_xpc_type_uint64;
    case Kind::kDouble: return &_xpc_type_double;
    case Kind::kDate: return &_xpc_type_date;
    case Kind::kData: return &_xpc_type_data;
    case Kind::kString: return &_xpc_type_string;
    case Kind::kUuid: return &_xpc_type_uuid;
    case Kind::kFd: return &_xpc_type_fd;
    case Kind::kShmem: return &_xpc_type_shmem;
    case Kind::kArray: return &_xpc_type_array;
    case Kind::kDictionary: return &_xpc_type_dictionary;
    case Kind::kError: return &_xpc_type_error;
    case Kind::kConnection: return &_xpc_type_connection;
    case Kind::kEndpoint: return &_xpc_type_endpoint;
    case Kind::kSession: return &_xpc_type_session;
    case Kind::kListener: return &_xpc_type_listener;
    case Kind::kRichError: return &_xpc_type_rich_error;
    case Kind::kActivity: return &_xpc_type_activity;
    case Kind::kPeerRequirement: return &kPeerRequirementType;
  }
  XPCTEST_ASSERT(false, "TypeOf: unknown kind");
}

}  // namespace xpctest::fakes::objects
