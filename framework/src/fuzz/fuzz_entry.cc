// The libFuzzer entry points behind XPCTEST_FUZZ_TARGET: one target and one
// mutator per program, words from -dict files, seeds written into the
// corpus, inputs printed when they crash or when libFuzzer replays files.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "fuzz/fuzz_session.h"
#include "xpctest/fuzz.h"
#include "xpctest/fuzz_mutator.h"
#include "xpctest/real_os.h"

// libFuzzer's own mutator; absent (null) in programs without libFuzzer.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size)
    __attribute__((weak));

namespace xpctest::internal {
namespace {

struct FuzzProgram {
  FuzzTarget target;
  FuzzMutator mutator;
  // libFuzzer was given files to run: print each input before running it.
  bool replaying = false;
  bool hooks_installed = false;
};

FuzzProgram* g_program = nullptr;

bool IsDirectory(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

// The value of one line of a libFuzzer/AFL dictionary, `name="value"` or
// `"value"`, with \\, \" and \xNN escapes; false for comments and blanks.
bool ParseDictionaryLine(const std::string& line, std::string* word) {
  size_t first = line.find_first_not_of(" \t");
  size_t open = line.find('"');
  size_t close = line.rfind('"');
  if (first == std::string::npos || line[first] == '#' || open == std::string::npos ||
      close <= open) {
    return false;
  }
  word->clear();
  for (size_t i = open + 1; i < close; ++i) {
    if (line[i] != '\\' || i + 1 >= close) {
      *word += line[i];
    } else if (line[i + 1] == 'x' && i + 3 < close) {
      *word += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      *word += line[++i];
    }
  }
  return true;
}

void ReadDictionary(const char* path, FuzzMutator& mutator) {
  std::ifstream in(path);
  std::string line, word;
  while (std::getline(in, line)) {
    if (ParseDictionaryLine(line, &word)) mutator.AddWord(word);
  }
}

// FNV-1a, for seed file names that stay the same from run to run.
std::string SeedFileName(const std::vector<uint8_t>& bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (uint8_t byte : bytes) hash = (hash ^ byte) * 0x100000001b3ULL;
  char name[32];
  snprintf(name, sizeof name, "seed-%016llx", static_cast<unsigned long long>(hash));
  return name;
}

void WriteSeeds(const std::string& corpus, const FuzzTarget& target) {
  for (const std::vector<uint8_t>& seed : target.EncodedSeeds()) {
    std::string path = corpus + "/" + SeedFileName(seed);
    struct stat st;
    if (stat(path.c_str(), &st) == 0) continue;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(seed.data()),
               static_cast<std::streamsize>(seed.size()));
  }
}

// libFuzzer's signal handlers (its timeout alarm, its reports of deadly
// signals and interrupts) can interrupt a simulated process's code. They run
// as the test program (ScopedRealOs): otherwise the alarm measures the
// running input on the virtual clock and reports a timeout that never
// happened. Deadly signals print the running input first.
constexpr int kDeadlySignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
constexpr int kLibFuzzerSignals[] = {SIGALRM, SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGXFSZ};

struct sigaction g_previous[NSIG];

bool IsDeadly(int signal) {
  for (int deadly : kDeadlySignals) {
    if (signal == deadly) return true;
  }
  return false;
}

// A function to call, rather than the default action or nothing.
bool HasHandler(const struct sigaction& action) {
  if ((action.sa_flags & SA_SIGINFO) != 0) return action.sa_sigaction != nullptr;
  return action.sa_handler != SIG_DFL && action.sa_handler != SIG_IGN;
}

void OnSignal(int signal, siginfo_t* info, void* context) {
  real_os::ScopedRealOs as_test_program;
  if (IsDeadly(signal)) PrintRunningFuzzInput();
  const struct sigaction& previous = g_previous[signal];
  if (!HasHandler(previous)) {
    sigaction(signal, &previous, nullptr);
    raise(signal);
  } else if ((previous.sa_flags & SA_SIGINFO) != 0) {
    previous.sa_sigaction(signal, info, context);
  } else {
    previous.sa_handler(signal);
  }
}

void Wrap(int signal) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = OnSignal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(signal, &action, &g_previous[signal]);
}

// Installed at the first input, after libFuzzer installed its own: every
// deadly signal, and each of libFuzzer's other signals it handles.
void InstallSignalHooks() {
  for (int signal : kDeadlySignals) Wrap(signal);
  for (int signal : kLibFuzzerSignals) {
    struct sigaction current;
    sigaction(signal, nullptr, &current);
    if (HasHandler(current)) Wrap(signal);
  }
}

}  // namespace

int FuzzInitialize(int* argc, char*** argv, FuzzTarget (*make_target)()) {
  FuzzTarget target = make_target();
  FuzzMutator mutator(target.options().limits, LLVMFuzzerMutate);
  g_program = new FuzzProgram{std::move(target), std::move(mutator)};  // for the program's life
  const FuzzOptions& options = g_program->target.options();
  for (const std::string& word : options.words) g_program->mutator.AddWord(word);
  for (const std::vector<uint8_t>& seed : g_program->target.EncodedSeeds()) {
    g_program->mutator.AddSeed(DecodeFuzzInput(seed.data(), seed.size(), options.limits));
  }
  bool first_input = true;
  for (int i = 1; i < *argc; ++i) {
    const char* arg = (*argv)[i];
    if (strncmp(arg, "-dict=", 6) == 0) ReadDictionary(arg + 6, g_program->mutator);
    if (arg[0] == '-') continue;
    if (IsDirectory(arg)) {
      if (first_input) WriteSeeds(arg, g_program->target);
    } else {
      g_program->replaying = true;
    }
    first_input = false;
  }
  return 0;
}

int FuzzOneInput(const uint8_t* data, size_t size) {
  if (!g_program->hooks_installed) {
    InstallSignalHooks();
    g_program->hooks_installed = true;
  }
  FuzzInput input = DecodeFuzzInput(data, size, g_program->target.options().limits);
  if (g_program->replaying) {
    std::string code = FuzzInputAsTestCode(input);
    fprintf(stderr, "xpctest fuzz: running %zu message(s):\n%s", input.size(), code.c_str());
  }
  g_program->target.Run(input, FuzzTarget::OnFinding::kAbort);
  return 0;
}

size_t FuzzMutate(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  return g_program->mutator.Mutate(data, size, max_size, seed);
}

size_t FuzzCrossOver(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                     uint8_t* out, size_t max_out_size, unsigned seed) {
  return g_program->mutator.CrossOver(data1, size1, data2, size2, out, max_out_size, seed);
}

}  // namespace xpctest::internal

// Sanitizers call this with each report's summary line (ASan, UBSan, LSan):
// the input goes with it. Replaces the runtime's weak default, which prints
// the line.
extern "C" void __sanitizer_report_error_summary(const char* summary) {
  fprintf(stderr, "%s\n", summary);
  xpctest::internal::PrintRunningFuzzInput();
}
