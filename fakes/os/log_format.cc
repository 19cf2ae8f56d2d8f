#include "os/log_format.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <string_view>
#include <sys/types.h>

namespace xpctest::fakes::os {
namespace {

// What a decoration asks of the value it decorates (privacy words ask nothing).
enum class Decoration { kNone, kBool, kObjcBool, kErrno };

Decoration ParseDecoration(std::string_view words) {
  Decoration decoration = Decoration::kNone;
  while (!words.empty()) {
    size_t comma = words.find(',');
    std::string_view word = words.substr(0, comma);
    words = comma == std::string_view::npos ? std::string_view() : words.substr(comma + 1);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    if (word == "bool") decoration = Decoration::kBool;
    if (word == "BOOL") decoration = Decoration::kObjcBool;
    if (word == "errno" || word == "darwin.errno") decoration = Decoration::kErrno;
  }
  return decoration;
}

// One conversion, rebuilt for snprintf with '*' already replaced by its value.
struct Conversion {
  std::string head = "%";  // '%', flags, width, precision
  std::string_view length;
  char kind = 0;
  int precision = -1;  // -1: none given
  Decoration decoration = Decoration::kNone;

  // For snprintf, with the argument as passed ("q" is BSD's "ll").
  std::string Spec() const {
    return head + std::string(length == "q" ? std::string_view("ll") : length) + kind;
  }
};

template <typename Value>
void AppendFormatted(std::string& out, const std::string& spec, Value value) {
  char buffer[256];
  int length = std::snprintf(buffer, sizeof buffer, spec.c_str(), value);
  if (length < 0) return;
  if (static_cast<size_t>(length) < sizeof buffer) {
    out.append(buffer, static_cast<size_t>(length));
    return;
  }
  std::string large(static_cast<size_t>(length) + 1, '\0');
  std::snprintf(large.data(), large.size(), spec.c_str(), value);
  out.append(large.data(), static_cast<size_t>(length));
}

// An integer, after its decoration had its say.
void AppendInteger(std::string& out, const Conversion& c, intmax_t value, bool is_signed) {
  switch (c.decoration) {
    case Decoration::kBool: out += value != 0 ? "true" : "false"; return;
    case Decoration::kObjcBool: out += value != 0 ? "YES" : "NO"; return;
    case Decoration::kErrno: {
      int error = static_cast<int>(value);
      out += "[" + std::to_string(error) + ": " + std::strerror(error) + "]";
      return;
    }
    case Decoration::kNone: break;
  }
  // The value was widened to intmax_t: print it as one.
  std::string spec = c.head + "j" + c.kind;
  if (is_signed) {
    AppendFormatted(out, spec, value);
  } else {
    AppendFormatted(out, spec, static_cast<uintmax_t>(value));
  }
}

intmax_t SignedArgument(std::string_view length, va_list* args) {
  if (length == "l") return va_arg(*args, long);
  if (length == "ll" || length == "q") return va_arg(*args, long long);
  if (length == "j") return va_arg(*args, intmax_t);
  if (length == "z") return va_arg(*args, ssize_t);
  if (length == "t") return va_arg(*args, ptrdiff_t);
  int value = va_arg(*args, int);
  if (length == "hh") return static_cast<signed char>(value);
  if (length == "h") return static_cast<short>(value);
  return value;
}

uintmax_t UnsignedArgument(std::string_view length, va_list* args) {
  if (length == "l") return va_arg(*args, unsigned long);
  if (length == "ll" || length == "q") return va_arg(*args, unsigned long long);
  if (length == "j") return va_arg(*args, uintmax_t);
  if (length == "z") return va_arg(*args, size_t);
  if (length == "t") return static_cast<uintmax_t>(va_arg(*args, ptrdiff_t));
  unsigned value = va_arg(*args, unsigned);
  if (length == "hh") return static_cast<unsigned char>(value);
  if (length == "h") return static_cast<unsigned short>(value);
  return value;
}

// Parses the conversion starting after '%' at `format`; returns where it ends.
const char* ParseConversion(const char* format, Conversion& c, va_list* args) {
  const char* p = format;
  if (*p == '{') {
    const char* end = std::strchr(p, '}');
    if (end == nullptr) return p;  // not a decoration: printed as text
    c.decoration = ParseDecoration(std::string_view(p + 1, static_cast<size_t>(end - p - 1)));
    p = end + 1;
  }
  while (*p != '\0' && std::strchr("-+ #0'", *p) != nullptr) c.head += *p++;
  if (*p == '*') {
    c.head += std::to_string(va_arg(*args, int));
    ++p;
  } else {
    while (*p >= '0' && *p <= '9') c.head += *p++;
  }
  if (*p == '.') {
    ++p;
    if (*p == '*') {
      c.precision = va_arg(*args, int);
      ++p;
    } else {
      c.precision = 0;
      while (*p >= '0' && *p <= '9') c.precision = c.precision * 10 + (*p++ - '0');
    }
    if (c.precision >= 0) c.head += "." + std::to_string(c.precision);
  }
  const char* length = p;
  while (*p != '\0' && std::strchr("hljztLq", *p) != nullptr) ++p;
  c.length = std::string_view(length, static_cast<size_t>(p - length));
  c.kind = *p;
  if (*p != '\0') ++p;
  return p;
}

// `count` bytes at `bytes` in hex: Darwin's "%.16P".
void AppendBytes(std::string& out, const void* bytes, int count) {
  if (bytes == nullptr) {
    out += "(null)";
    return;
  }
  const auto* data = static_cast<const unsigned char*>(bytes);
  char digits[3];
  for (int i = 0; i < count; ++i) {
    std::snprintf(digits, sizeof digits, "%02x", data[i]);
    out += digits;
  }
}

}  // namespace

std::string FormatLogMessage(const char* format, va_list arguments) {
  std::string out;
  if (format == nullptr) return out;
  // Read through a pointer: a va_list may be an array, which does not bind
  // to a reference once passed.
  va_list copy;
  va_copy(copy, arguments);
  va_list* args = &copy;
  const char* p = format;
  while (*p != '\0') {
    if (*p != '%') {
      out += *p++;
      continue;
    }
    if (p[1] == '%') {
      out += '%';
      p += 2;
      continue;
    }
    const char* start = p;
    Conversion c;
    p = ParseConversion(p + 1, c, args);
    switch (c.kind) {
      case 'd':
      case 'i':
        AppendInteger(out, c, SignedArgument(c.length, args), true);
        break;
      case 'u':
      case 'o':
      case 'x':
      case 'X':
        AppendInteger(out, c, static_cast<intmax_t>(UnsignedArgument(c.length, args)), false);
        break;
      case 'c':
        AppendFormatted(out, c.Spec(), va_arg(*args, int));
        break;
      case 's':
        if (c.length == "l") {
          const wchar_t* text = va_arg(*args, const wchar_t*);
          AppendFormatted(out, c.Spec(), text != nullptr ? text : L"(null)");
        } else {
          const char* text = va_arg(*args, const char*);
          AppendFormatted(out, c.Spec(), text != nullptr ? text : "(null)");
        }
        break;
      case 'p':
        AppendFormatted(out, c.Spec(), va_arg(*args, void*));
        break;
      case '@':
        // An Objective-C object; C code has none, but print the pointer.
        AppendFormatted(out, "%p", va_arg(*args, void*));
        break;
      case 'P':
        AppendBytes(out, va_arg(*args, void*), c.precision > 0 ? c.precision : 0);
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
      case 'a':
      case 'A':
        if (c.length == "L") {
          AppendFormatted(out, c.Spec(), va_arg(*args, long double));
        } else {
          AppendFormatted(out, c.Spec(), va_arg(*args, double));
        }
        break;
      case 'n':
        // os_log writes nothing back; the pointer is consumed.
        (void)va_arg(*args, void*);
        break;
      case 'm':
        out += std::strerror(errno);
        break;
      default:
        // Not a conversion: the text as written.
        out.append(start, static_cast<size_t>(p - start));
        break;
    }
  }
  va_end(copy);
  return out;
}

}  // namespace xpctest::fakes::os
