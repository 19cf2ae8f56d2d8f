// Queue attributes: DISPATCH_QUEUE_SERIAL (NULL), DISPATCH_QUEUE_CONCURRENT,
// and the derived attributes, which are entries of a fixed table so that a
// dispatch_queue_attr_t never needs releasing (as Apple's).
#include <array>

#include "dispatch/queue_internal.h"

struct dispatch_queue_attr_s _dispatch_queue_attr_concurrent;

namespace xpctest::fakes::dispatch {
namespace {

constexpr dispatch_qos_class_t kQosClasses[] = {
    QOS_CLASS_UNSPECIFIED, QOS_CLASS_BACKGROUND,     QOS_CLASS_UTILITY,
    QOS_CLASS_DEFAULT,     QOS_CLASS_USER_INITIATED, QOS_CLASS_USER_INTERACTIVE,
};
constexpr int kQosCount = 6;
constexpr int kPriorities = 16;  // relative priority 0 .. -15
constexpr int kEntries = 2 * 2 * kQosCount * kPriorities;

struct AttributeTable {
  AttributeTable() {
    for (int i = 0; i < kEntries; ++i) {
      QueueAttributes& a = entries[i];
      a.width = (i & 1) ? QueueWidth::kConcurrent : QueueWidth::kSerial;
      a.inactive = (i & 2) != 0;
      a.qos = kQosClasses[(i / 4) % kQosCount];
      a.relative_priority = -((i / (4 * kQosCount)) % kPriorities);
    }
  }
  std::array<QueueAttributes, kEntries> entries;
};

AttributeTable& Table() {
  static AttributeTable table;
  return table;
}

int QosIndex(dispatch_qos_class_t qos) {
  for (int i = 0; i < kQosCount; ++i) {
    if (kQosClasses[i] == qos) return i;
  }
  return 0;
}

}  // namespace

QueueAttributes AttributesFromHandle(dispatch_queue_attr_t attr) {
  if (attr == nullptr) return QueueAttributes{};
  if (attr == &_dispatch_queue_attr_concurrent) {
    return QueueAttributes{QueueWidth::kConcurrent, QOS_CLASS_UNSPECIFIED, 0, false};
  }
  auto& entries = Table().entries;
  auto* entry = reinterpret_cast<const QueueAttributes*>(attr);
  if (entry >= entries.data() && entry < entries.data() + entries.size()) return *entry;
  return QueueAttributes{};
}

dispatch_queue_attr_t HandleForAttributes(const QueueAttributes& a) {
  bool plain = a.qos == QOS_CLASS_UNSPECIFIED && a.relative_priority == 0 && !a.inactive;
  if (plain) {
    return a.width == QueueWidth::kSerial ? nullptr : &_dispatch_queue_attr_concurrent;
  }
  int priority = a.relative_priority > 0 ? 0 : (a.relative_priority < -15 ? 15 : -a.relative_priority);
  int index = (a.width == QueueWidth::kConcurrent ? 1 : 0) + (a.inactive ? 2 : 0) +
              4 * QosIndex(a.qos) + 4 * kQosCount * priority;
  return reinterpret_cast<dispatch_queue_attr_t>(&Table().entries[index]);
}

}  // namespace xpctest::fakes::dispatch
