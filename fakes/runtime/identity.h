// runtime/identity.h — the runtime's names for the public identity types
// (defined in <xpctest/identity.h>, which tests use to give processes theirs).
#ifndef XPCTEST_FAKES_RUNTIME_IDENTITY_H
#define XPCTEST_FAKES_RUNTIME_IDENTITY_H

#include <xpctest/identity.h>

namespace xpctest::fakes::runtime {

using xpctest::CodeSigningIdentity;
using xpctest::Credentials;
using xpctest::Identity;
using xpctest::UnknownCredentials;

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_IDENTITY_H
