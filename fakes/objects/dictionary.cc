#include "objects/dictionary.h"


#include "base/report.h"

namespace xpctest::fakes::objects {

Dictionary* Dictionary::Create() {
  return new Dictionary(TypeOf(kKind), Lifetime::kCounted);
}

Object* Dictionary::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it != entries_.end() ? it->second : nullptr;
}

void Dictionary::Set(std::string_view key, Object* value, Adopt adopt, std::string_view call) {
  auto refuse = [&] {
    if (value != nullptr && adopt == Adopt::kYes) value->Release(call);
  };
  if (!iteration_.AllowMutation(call, "Dictionary mutated during iteration", *this)) {
    return refuse();  // S32
  }
  if (frozen_) {
    ReportXpcMisuse(call, "Attempt to modify an immutable dictionary.", Description());
    return refuse();
  }
  auto it = entries_.find(key);
  if (value == nullptr) {  // S30: removal
    if (it == entries_.end()) return;
    Object* old = it->second;
    entries_.erase(it);
    NoteDropped(*old);
    old->Release(call);
    return;
  }
  if (!AllowInsertion(*value, call)) return refuse();
  if (adopt == Adopt::kNo) value->Retain();  // S18
  NoteAdopted(*value);
  if (it == entries_.end()) {
    entries_.emplace(std::string(key), value);
    return;
  }
  Object* old = it->second;
  it->second = value;
  NoteDropped(*old);
  old->Release(call);
}

bool Dictionary::Apply(const std::function<bool(const char*, Object*)>& applier,
                       std::string_view call) {
  IterationState::Scope scope(iteration_, *this, call);
  bool result = true;
  // Mutation is refused while the scope lives, so the iterators stay valid.
  for (const auto& [key, value] : entries_) {
    result = applier(key.c_str(), value);
    if (!result) break;
  }
  return result;
}

std::shared_ptr<MessageContext> Dictionary::message_context() const {
  std::lock_guard lock(context_mutex_);
  return context_;
}

void Dictionary::set_message_context(std::shared_ptr<MessageContext> context) {
  std::lock_guard lock(context_mutex_);
  context_ = std::move(context);
}

Dictionary* Dictionary::CopyWith(CopyMode mode) const {
  Dictionary* copy = Create();
  for (const auto& [key, value] : entries_) {
    Object* child = CopyChild(value, mode);
    copy->NoteAdopted(*child);
    copy->entries_.emplace(key, child);
  }
  return copy;
}

Object* Dictionary::Copy() { return CopyWith(CopyMode::kCopy); }

Object* Dictionary::ReceiverCopy() { return CopyWith(CopyMode::kForReceiver); }

void Dictionary::VisitChildren(const std::function<void(Object&)>& visit) const {
  for (const auto& [key, value] : entries_) visit(*value);
}

bool Dictionary::Equals(const Object& other) const {
  const auto& that = static_cast<const Dictionary&>(other);
  if (entries_.size() != that.entries_.size()) return false;
  for (const auto& [key, value] : entries_) {
    Object* theirs = that.Find(key);
    if (theirs == nullptr || !ObjectsEqual(*value, *theirs)) return false;
  }
  return true;
}

size_t Dictionary::Hash() const {
  // Order-independent, so it never depends on how entries are stored.
  size_t hash = 0x64696374 + entries_.size();
  for (const auto& [key, value] : entries_) {
    hash += std::hash<std::string>()(key) * 31 ^ value->Hash();
  }
  return hash;
}

void Dictionary::AppendDescription(std::string& out, int depth) const {
  // Recursive: only the entry loop stays in this frame (objects/nesting.h).
  if (!AppendDictionaryOpening(out, *this, entries_.size(), depth)) return;
  for (const auto& [key, value] : entries_) {
    AppendKeyPrefix(out, key, depth + 1);
    value->AppendDescription(out, depth + 1);
    out += '\n';
  }
  AppendClosing(out, depth);
}

void Dictionary::Dispose() {
  std::map<std::string, Object*, std::less<>> entries;
  entries.swap(entries_);
  for (auto& [key, value] : entries) {
    NoteDropped(*value);
    value->Release("xpc_release");  // S18
  }
  set_message_context(nullptr);
}

const Dictionary* ReadableDictionary(const void* handle) {
  if (Object* object = TryFromHandle(handle, Kind::kDictionary)) {
    return static_cast<const Dictionary*>(object);
  }
  if (Object* object = TryFromHandle(handle, Kind::kError)) {
    return static_cast<const Dictionary*>(object);
  }
  return nullptr;
}

}  // namespace xpctest::fakes::objects
