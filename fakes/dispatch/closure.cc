#include "dispatch/closure.h"

#include <Block.h>

namespace xpctest::fakes::dispatch {

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
  if (block_ != nullptr) Block_release(block_);
  block_ = nullptr;
  c_function_ = nullptr;
  context_ = nullptr;
  function_ = nullptr;
}

}  // namespace xpctest::fakes::dispatch
