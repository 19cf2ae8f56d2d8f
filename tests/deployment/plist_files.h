// Real plist files for deployment tests, written to a temporary directory:
// XML as given, or binary as libplist writes it from that XML.
#ifndef XPCTEST_TESTS_DEPLOYMENT_PLIST_FILES_H
#define XPCTEST_TESTS_DEPLOYMENT_PLIST_FILES_H

#include <string>

namespace xpctest::testing {

class PlistFiles {
 public:
  PlistFiles();
  ~PlistFiles();
  PlistFiles(const PlistFiles&) = delete;
  PlistFiles& operator=(const PlistFiles&) = delete;

  // Writes `<plist><dict>` + entries + `</dict></plist>` as XML to `name`;
  // returns its path.
  std::string Xml(const std::string& name, const std::string& dict_entries);
  // The same property list, converted to a binary plist by libplist.
  std::string Binary(const std::string& name, const std::string& dict_entries);
  // Any bytes at all, for files that are not property lists.
  std::string Raw(const std::string& name, const std::string& bytes);

 private:
  std::string directory_;
};

}  // namespace xpctest::testing

#endif  // XPCTEST_TESTS_DEPLOYMENT_PLIST_FILES_H
