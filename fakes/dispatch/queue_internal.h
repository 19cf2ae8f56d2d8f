// dispatch/queue_internal.h — Queue, the object behind dispatch_queue_t.
//
// A queue is a FIFO of items plus the scheduling state the Scheduler reads
// (see scheduler.h for the exclusion rule). Custom queues target their
// domain's default global queue unless told otherwise; root queues (the main
// queue and the global queues) target nothing, are owned by their domain and
// ignore retain/release.
//
//   Queue* q = Queue::Create(domain, "com.example", QueueAttributes{});
//   q->Async(Closure::FromBlock(block), ItemKind::kAsync, nullptr);
//
// Lifetime: every pending item holds an internal reference, so a queue
// released with work pending lives until that work has run (or is discarded).
// A queue holds an internal reference on its target.
//
// Thread safety: fields marked "scheduler" are guarded by the scheduler's
// mutex; specifics by the queue's own mutex; the rest is immutable.
#ifndef XPCTEST_FAKES_DISPATCH_QUEUE_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_QUEUE_INTERNAL_H

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "dispatch/closure.h"
#include "dispatch/object_internal.h"
#include "dispatch/scheduler.h"

namespace xpctest::fakes::dispatch {

class Group;

enum class QueueWidth : uint8_t { kSerial, kConcurrent };
enum class QueueRole : uint8_t { kCustom, kMain, kGlobal };

struct QueueAttributes {
  QueueWidth width = QueueWidth::kSerial;
  dispatch_qos_class_t qos = QOS_CLASS_UNSPECIFIED;
  int relative_priority = 0;
  bool inactive = false;
};

// Resolves a dispatch_queue_attr_t (NULL, DISPATCH_QUEUE_CONCURRENT or a
// derived attribute) and makes derived ones.
QueueAttributes AttributesFromHandle(dispatch_queue_attr_t attr);
dispatch_queue_attr_t HandleForAttributes(const QueueAttributes& attributes);

class Queue final : public Object {
 public:
  static constexpr ObjectKind kKind = ObjectKind::kQueue;

  // A custom queue in `domain` with one external reference.
  static Queue* Create(std::shared_ptr<DomainState> domain, std::string_view label,
                       const QueueAttributes& attributes);
  // A root queue owned by `domain` (immortal).
  static Queue* CreateRoot(DomainState* domain, std::string_view label, QueueWidth width,
                           QueueRole role, dispatch_qos_class_t qos);

  const std::string& label() const { return label_; }
  uint64_t id() const { return id_; }
  QueueWidth width() const { return attributes_.width; }
  bool serial() const { return attributes_.width == QueueWidth::kSerial; }
  QueueRole role() const { return role_; }
  const QueueAttributes& attributes() const { return attributes_; }
  Scheduler& scheduler() const;

  // Submission. `group` (may be null) was entered by the caller and is left
  // once the item has run or been discarded.
  void Async(Closure work, ItemKind kind, Group* group);
  // Runs `work` on the calling thread with the queue held (see dispatch_sync).
  // `call` names the API for misuse and deadlock reports.
  void Sync(Closure work, ItemKind kind, std::string_view call);
  // Submits `work` once the clock reaches `deadline`.
  void After(TimePoint deadline, Closure work);

  void Suspend();
  // Reports "Over-resume of an object" (naming `call`) when not suspended.
  void Resume(std::string_view call);
  void Activate();
  void SetTarget(Queue* target);
  // The current target (retained); null for root queues.
  Ref<Queue> target() const;

  void SetSpecific(const void* key, void* context, dispatch_function_t destructor);
  void* GetSpecific(const void* key) const;

  std::string Describe() const override;

  // --- Scheduler state (guarded by the scheduler's mutex) ------------------
  // A list: every XPC connection has two queues, nearly always empty, and
  // libstdc++'s deque allocates 576 bytes before its first item.
  std::list<Item> items_;
  int suspend_count_ = 0;
  bool inactive_ = false;
  int running_ = 0;          // items running in this queue's subtree
  bool barrier_running_ = false;
  bool thread_bound_ = false;  // served only by dispatch_main's thread
  Queue* target_ = nullptr;    // holds an internal reference (custom queues)

 private:
  Queue(std::shared_ptr<DomainState> domain, std::string_view label,
        const QueueAttributes& attributes);
  Queue(DomainState* domain, std::string_view label, QueueWidth width, QueueRole role,
        dispatch_qos_class_t qos);
  ~Queue() override;

  void XrefDispose() override;
  void Dispose() override;
  Queue* FinalizerQueue() const override;

  struct Specific {
    void* context;
    dispatch_function_t destructor;
  };

  const std::string label_;
  const QueueAttributes attributes_;
  const QueueRole role_;
  uint64_t id_ = 0;
  mutable std::mutex specifics_mu_;
  std::map<const void*, Specific> specifics_;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_QUEUE_INTERNAL_H
