#include "objects/nesting.h"

#include <fmt/format.h>

#include <unordered_map>
#include <utility>
#include <vector>

#include "base/report.h"
#include "objects/container.h"

namespace xpctest::fakes::objects {

bool NestsTooDeeply(const Object& object) {
  const Container* root = AsContainer(object);
  if (root == nullptr) return false;
  // Depth-first with an explicit stack. A collection held in several places
  // is walked again only when reached at a greater depth.
  std::vector<std::pair<const Container*, int>> pending{{root, 1}};
  std::unordered_map<const Container*, int> deepest{{root, 1}};
  while (!pending.empty()) {
    const Container* container = pending.back().first;
    int level = pending.back().second;
    pending.pop_back();
    if (level > kMaxNestingDepth) return true;
    container->VisitChildren([&](Object& child) {
      const Container* nested = AsContainer(child);
      if (nested == nullptr) return;
      int& seen = deepest[nested];
      if (seen >= level + 1) return;
      seen = level + 1;
      pending.emplace_back(nested, level + 1);
    });
  }
  return false;
}

void ReportTooDeeplyNested(std::string_view call, const Object& object) {
  ReportXpcMisuse(call,
                  fmt::format("Collections nested deeper than {} levels cannot be copied, "
                              "compared, hashed or sent.",
                              kMaxNestingDepth),
                  DescriptionHeader(object));
}

}  // namespace xpctest::fakes::objects
