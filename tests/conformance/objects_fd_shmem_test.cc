// Conformance of fd and shmem boxes (S38–S43).
#include <xpc/xpc.h>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "conformance/objects_test_support.h"
#include "xpctest/diagnostics.h"

namespace xpctest::conformance {
namespace {

using ::testing::ElementsAre;

// S38: xpc_fd_create dups the descriptor, so the caller may close its own copy.
// S40: the dups share one file description, hence one offset.
TEST(FdConformance, S38FdCreateDupsSoCallerMayClose) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  Owned box(xpc_fd_create(pipe_fds[1]));
  ASSERT_NE(box.get(), nullptr);
  close(pipe_fds[1]);
  int writer = xpc_fd_dup(box);
  ASSERT_GE(writer, 0);
  ASSERT_EQ(write(writer, "x", 1), 1);
  close(writer);
  char c = 0;
  ASSERT_EQ(read(pipe_fds[0], &c, 1), 1);
  EXPECT_EQ(c, 'x');
  close(pipe_fds[0]);
}

// S38: an invalid descriptor gives NULL.
TEST(FdConformance, S38InvalidDescriptorGivesNull) {
  EXPECT_EQ(xpc_fd_create(-1), nullptr);
  EXPECT_EQ(xpc_fd_create(987654), nullptr);
}

// S39: every xpc_fd_dup returns a new descriptor number that the caller closes.
TEST(FdConformance, S39EveryDupIsANewDescriptor) {
  int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  Owned box(xpc_fd_create(fd));
  int a = xpc_fd_dup(box);
  int b = xpc_fd_dup(box);
  EXPECT_GE(a, 0);
  EXPECT_NE(a, b);
  EXPECT_NE(a, fd);
  close(a);
  close(b);
  close(fd);
}

// S41: xpc_equal on fd objects is pointer equality, also against its own copy,
// and a collection holding fds equals only one holding the very same fd objects.
TEST(FdConformance, S41FdEqualityIsIdentity) {
  int fd = open("/dev/null", O_RDONLY);
  Owned a(xpc_fd_create(fd)), b(xpc_fd_create(fd));
  close(fd);
  EXPECT_TRUE(xpc_equal(a, a));
  EXPECT_FALSE(xpc_equal(a, b));
  Owned copy(xpc_copy(a));
  ASSERT_NE(copy.get(), nullptr);
  EXPECT_FALSE(xpc_equal(a, copy));
  Owned list1(xpc_array_create_empty()), list2(xpc_array_create_empty());
  xpc_array_append_value(list1, a);
  xpc_array_append_value(list2, a);
  EXPECT_TRUE(xpc_equal(list1, list2));
  Owned deep(xpc_copy(list1));
  EXPECT_FALSE(xpc_equal(list1, deep));
}

// S39: the collection variants dup the stored fd; -1 when the value is not an fd.
TEST(FdConformance, S39CollectionDupFdReturnsNewDescriptorOrMinusOne) {
  int fd = open("/dev/null", O_RDONLY);
  Owned dictionary(xpc_dictionary_create_empty());
  xpc_dictionary_set_fd(dictionary, "fd", fd);
  xpc_dictionary_set_int64(dictionary, "n", 1);
  close(fd);
  int dup_fd = xpc_dictionary_dup_fd(dictionary, "fd");
  EXPECT_GE(dup_fd, 0);
  close(dup_fd);
  EXPECT_EQ(xpc_dictionary_dup_fd(dictionary, "n"), -1);
  EXPECT_EQ(xpc_dictionary_dup_fd(dictionary, "missing"), -1);
  Owned array(xpc_array_create_empty());
  xpc_array_set_fd(array, XPC_ARRAY_APPEND, 0);
  int dup0 = xpc_array_dup_fd(array, 0);
  EXPECT_GE(dup0, 0);
  close(dup0);
}

// S42/S43: a MAP_SHARED region can be boxed; each map is a new mapping of the
// same pages, with a page-rounded size, unmapped by the caller.
TEST(ShmemConformance, S43MapCreatesANewSharedMappingEachCall) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* region = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  std::strcpy(static_cast<char*>(region), "shared");
  Owned box(xpc_shmem_create(region, 100));
  ASSERT_NE(box.get(), nullptr);
  EXPECT_EQ(xpc_get_type(box), XPC_TYPE_SHMEM);
  munmap(region, page);  // the box keeps its own reference to the pages

  void* first = nullptr;
  void* second = nullptr;
  EXPECT_EQ(xpc_shmem_map(box, &first), page);
  EXPECT_EQ(xpc_shmem_map(box, &second), page);
  ASSERT_NE(first, nullptr);
  EXPECT_NE(first, second);
  EXPECT_STREQ(static_cast<char*>(first), "shared");
  std::strcpy(static_cast<char*>(first), "changed");
  EXPECT_STREQ(static_cast<char*>(second), "changed");
  munmap(first, page);
  munmap(second, page);
}

// S42: malloc(3) memory is refused with the observed message; the call returns NULL.
TEST(ShmemConformance, S42MallocRegionIsReportedAndRefused) {
  MisuseRecorder recorder;
  void* heap = std::malloc(4096);
  EXPECT_EQ(xpc_shmem_create(heap, 4096), nullptr);
  std::free(heap);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("XPC API Misuse: Attempt to pass a malloc(3)ed region to "
                          "xpc_shmem_create()"));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_shmem_create");
}

// S42, P6: the same misuse aborts outside a recorder, naming the call.
TEST(ShmemConformance, S42MallocRegionAbortsWithoutARecorder) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        void* heap = std::malloc(4096);
        (void)xpc_shmem_create(heap, 4096);
      },
      "XPC API Misuse: Attempt to pass a malloc\\(3\\)ed region to "
      "xpc_shmem_create\\(\\)(.|\n)*in call: xpc_shmem_create");
}

// S42: other regions are not blamed on malloc(3): a stack buffer, a private
// mapping, the program's static data and an unmapped range are each called
// what they are, so the report points at the real mistake.
TEST(ShmemConformance, S42RefusedRegionsAreNamedForWhatTheyAre) {
  MisuseRecorder recorder;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  char on_stack[64] = {};
  EXPECT_EQ(xpc_shmem_create(on_stack, sizeof on_stack), nullptr);
  void* private_pages =
      mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(private_pages, MAP_FAILED);
  EXPECT_EQ(xpc_shmem_create(private_pages, page), nullptr);
  static char static_data[64] = "in the data segment";
  EXPECT_EQ(xpc_shmem_create(static_data, sizeof static_data), nullptr);
  munmap(private_pages, page);
  EXPECT_EQ(xpc_shmem_create(private_pages, page), nullptr);
  EXPECT_THAT(
      recorder.Headlines(),
      ElementsAre(
          "XPC API Misuse: Attempt to pass a region of the calling thread's stack to "
          "xpc_shmem_create()",
          "XPC API Misuse: Attempt to pass a private (not MAP_SHARED) anonymous mapping to "
          "xpc_shmem_create()",
          ::testing::StartsWith("XPC API Misuse: Attempt to pass a private (not MAP_SHARED) "
                                "mapping of /"),
          "XPC API Misuse: Attempt to pass an unmapped region to xpc_shmem_create()"));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_shmem_create");
}

// S41: shmem equality is identity too.
TEST(ShmemConformance, S41ShmemEqualityIsIdentity) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* region = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  Owned a(xpc_shmem_create(region, page)), b(xpc_shmem_create(region, page));
  munmap(region, page);
  EXPECT_TRUE(xpc_equal(a, a));
  EXPECT_FALSE(xpc_equal(a, b));
}

}  // namespace
}  // namespace xpctest::conformance
