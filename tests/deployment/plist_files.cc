#include "deployment/plist_files.h"

#include <gtest/gtest.h>
#include <plist/plist.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace xpctest::testing {
namespace {

std::string Document(const std::string& dict_entries) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
         "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\">\n<dict>\n" +
         dict_entries + "\n</dict>\n</plist>\n";
}

}  // namespace

PlistFiles::PlistFiles() {
  std::string directory = ::testing::TempDir() + "xpctest-plists-XXXXXX";
  EXPECT_NE(mkdtemp(directory.data()), nullptr);
  directory_ = directory;
}

PlistFiles::~PlistFiles() { std::filesystem::remove_all(directory_); }

std::string PlistFiles::Raw(const std::string& name, const std::string& bytes) {
  std::string path = directory_ + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string PlistFiles::Xml(const std::string& name, const std::string& dict_entries) {
  return Raw(name, Document(dict_entries));
}

std::string PlistFiles::Binary(const std::string& name, const std::string& dict_entries) {
  std::string xml = Document(dict_entries);
  plist_t root = nullptr;
  plist_from_xml(xml.data(), static_cast<uint32_t>(xml.size()), &root);
  EXPECT_NE(root, nullptr) << "the test's XML is not a plist:\n" << xml;
  char* bytes = nullptr;
  uint32_t length = 0;
  plist_to_bin(root, &bytes, &length);
  std::string binary(bytes, length);
  plist_to_bin_free(bytes);
  plist_free(root);
  EXPECT_EQ(binary.rfind("bplist00", 0), 0u) << "libplist wrote no binary plist";
  return Raw(name, binary);
}

}  // namespace xpctest::testing
