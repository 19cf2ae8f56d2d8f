// fuzz/fuzz_text.h — bytes as a C string literal, for literals and mismatches.
#ifndef XPCTEST_FRAMEWORK_FUZZ_FUZZ_TEXT_H
#define XPCTEST_FRAMEWORK_FUZZ_FUZZ_TEXT_H

#include <string>

namespace xpctest::internal {

// `bytes` in double quotes, as C and C++ read them back: quotes and
// backslashes escaped, non-printable bytes as three-digit octal escapes,
// which, unlike \x, never swallow a following digit.
std::string CStringLiteral(const std::string& bytes);

}  // namespace xpctest::internal

#endif  // XPCTEST_FRAMEWORK_FUZZ_FUZZ_TEXT_H
