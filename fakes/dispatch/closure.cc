#include "dispatch/closure.h"

#include <Block.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace xpctest::fakes::dispatch {
namespace {

thread_local int t_abandoning = 0;

}  // namespace

std::atomic<uint64_t> g_buried{0};

void Bury(const void* remains) {
  ++g_buried;
  static std::mutex mutex;
  static auto* graveyard = new std::vector<const void*>();  // never freed
  std::lock_guard lock(mutex);
  graveyard->push_back(remains);
}

uint64_t BuriedCount() { return g_buried.load(); }

ScopedAbandon::ScopedAbandon() { ++t_abandoning; }
ScopedAbandon::~ScopedAbandon() { --t_abandoning; }

Closure Closure::FromBlock(dispatch_block_t block) {
  Closure closure;
  closure.block_ = Block_copy(block);  // released in Reset()
  return closure;
}

Closure Closure::FromFunction(dispatch_function_t function, void* context) {
  Closure closure;
  closure.c_function_ = function;
  closure.context_ = context;
  return closure;
}

void Closure::Run() const {
  if (block_ != nullptr) {
    block_();
  } else if (c_function_ != nullptr) {
    c_function_(context_);
  } else if (function_) {
    function_();
  }
}

void Closure::Reset() {
  if (t_abandoning > 0) {
    if (block_ != nullptr) Bury(block_);
    if (c_function_ != nullptr && context_ != nullptr) Bury(context_);
  } else if (block_ != nullptr) {
    Block_release(block_);
  }
  block_ = nullptr;
  c_function_ = nullptr;
  context_ = nullptr;
  function_ = nullptr;
}

}  // namespace xpctest::fakes::dispatch
