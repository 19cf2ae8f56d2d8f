#include "xpctest/deployment.h"

namespace xpctest {
namespace {

class LoadedMatcher : public ::testing::MatcherInterface<const control::PlistLoad&> {
 public:
  bool MatchAndExplain(const control::PlistLoad& load,
                       ::testing::MatchResultListener* listener) const override {
    if (load.ok()) return true;
    *listener << "which was refused: " << load.error;
    return false;
  }
  void DescribeTo(std::ostream* os) const override { *os << "is a plist that loaded"; }
  void DescribeNegationTo(std::ostream* os) const override { *os << "is a plist that was refused"; }
};

class RefusedMatcher : public ::testing::MatcherInterface<const control::PlistLoad&> {
 public:
  explicit RefusedMatcher(::testing::Matcher<const std::string&> error) : error_(error) {}
  bool MatchAndExplain(const control::PlistLoad& load,
                       ::testing::MatchResultListener* listener) const override {
    if (load.ok()) {
      *listener << "which loaded as " << load.name;
      return false;
    }
    *listener << "whose error is \"" << load.error << '"';
    return error_.Matches(load.error);
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is a plist refused with an error that ";
    error_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not a plist refused with an error that ";
    error_.DescribeTo(os);
  }

 private:
  ::testing::Matcher<const std::string&> error_;
};

}  // namespace

::testing::Matcher<const control::PlistLoad&> Loaded() {
  return ::testing::MakeMatcher(new LoadedMatcher());
}

::testing::Matcher<const control::PlistLoad&> RefusedToLoad(
    ::testing::Matcher<const std::string&> error) {
  return ::testing::MakeMatcher(new RefusedMatcher(std::move(error)));
}

Identity SignedWithEntitlements(const std::string& signing_identifier,
                                const std::string& entitlements_path,
                                const std::string& team_identifier) {
  Identity identity;
  identity.code_signing.signing_identifier = signing_identifier;
  identity.code_signing.team_identifier = team_identifier;
  std::string error = control::LoadEntitlements(entitlements_path, &identity.code_signing);
  if (!error.empty()) ADD_FAILURE() << "xpctest: " << error;
  return identity;
}

namespace control {
void PrintTo(const PlistLoad& load, std::ostream* os) {
  if (load.ok()) {
    *os << "loaded " << load.name;
  } else {
    *os << "refused: " << load.error;
  }
}
}  // namespace control

}  // namespace xpctest
