#include "fuzz/fuzz_session.h"

#include <cstdio>
#include <cstdlib>

namespace xpctest::internal {
namespace {

FuzzSession* g_current = nullptr;

}  // namespace

FuzzSession::FuzzSession(const FuzzInput& input, FuzzTarget::OnFinding on_finding,
                         const FuzzOptions& options, std::string setup)
    : input_(input),
      on_finding_(on_finding),
      options_(options),
      setup_(std::move(setup)),
      previous_(g_current),
      installation_(this) {
  g_current = this;
}

FuzzSession::~FuzzSession() { g_current = previous_; }

FuzzSession* FuzzSession::Current() { return g_current; }

void FuzzSession::OnDiagnostic(const Diagnostic& report) {
  if (!judging_) return;
  if (report.kind == DiagnosticKind::kWarning) {
    for (const std::string& ignored : options_.ignored_warnings) {
      if (report.headline.find(ignored) != std::string::npos) return;
    }
  }
  // The report without its headline, which the finding shows already.
  std::string text = report.ToString();
  size_t end_of_headline = text.find('\n');
  Report(report.headline,
         end_of_headline == std::string::npos ? "" : text.substr(end_of_headline + 1));
}

void FuzzSession::Report(const std::string& headline, const std::string& details) {
  if (finding_.has_value()) return;  // the first one says the most
  finding_ = FuzzFinding{headline, details};
  if (world_ != nullptr) finding_->details += "\nRecent trace:\n" + world_->TraceTail(20);
  if (on_finding_ == FuzzTarget::OnFinding::kReturn) return;
  fprintf(stderr, "\n==== xpctest fuzz: finding: %s\n%s%s%s====\n", headline.c_str(),
          finding_->details.c_str(), finding_->details.empty() ? "" : "\n", InputText().c_str());
  fflush(stderr);
  g_current = nullptr;  // printed already: the SIGABRT hook has nothing to add
  abort();              // libFuzzer saves the input as a crash
}

std::string FuzzSession::InputText() const {
  std::string text =
      setup_.empty() ? "The input's messages:\n"
                     : "The input, as a regression test's body (xpctest::Test, docs/fuzzing.md):\n";
  std::string code = setup_ + FuzzInputAsTestCode(input_);
  for (size_t start = 0; start < code.size();) {
    size_t end = code.find('\n', start);
    if (end == std::string::npos) end = code.size();
    text += "  " + code.substr(start, end - start) + "\n";
    start = end + 1;
  }
  if (input_.empty()) text += "  (no messages)\n";
  return text;
}

void PrintRunningFuzzInput() {
  if (g_current == nullptr) return;
  FuzzSession* session = g_current;
  // Once: a deadly signal under ASan reaches both hooks.
  g_current = nullptr;
  fprintf(stderr, "\n==== xpctest fuzz: the input running when it crashed\n%s====\n",
          session->InputText().c_str());
  fflush(stderr);
}

}  // namespace xpctest::internal

namespace xpctest {

void ReportFuzzFinding(const std::string& headline, const std::string& details) {
  internal::FuzzSession* session = internal::FuzzSession::Current();
  if (session == nullptr) {
    fprintf(stderr, "xpctest fuzz: ReportFuzzFinding outside a fuzz input: %s\n", headline.c_str());
    abort();
  }
  session->Report(headline, details);
}

std::string FuzzInputAsTestCode(const FuzzInput& input) {
  std::string code;
  for (const FuzzMessage& message : input) {
    std::string client =
        message.connection == 0 ? "client" : "client" + std::to_string(message.connection);
    code += client + (message.expects_reply ? ".SendSync(" : ".Send(") +
            FuzzValueLiteral(message.body) + ");\n";
  }
  return code;
}

}  // namespace xpctest
