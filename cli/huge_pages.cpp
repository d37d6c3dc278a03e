// Large allocations of the srma program on transparent huge pages.
//
// Reading a file of 10^6 studies fills about 100 MB of fresh memory. On 4 KiB pages that is some
// 25,000 page faults, which took a third of `srma pool`'s time on the virtual machines we
// measure on (docs/benchmarks.md, "A file of 10^6 studies"); on 2 MiB pages it is some 50.
// Linux backs memory with huge pages where the system setting is "always", or where the program
// asks with madvise(MADV_HUGEPAGE) when it is "madvise". glibc can ask for every allocation
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), but only through the environment at start-up, and no
// library does it per allocation; so the program replaces the global operator new (which the
// standard allows a program to do, [new.delete]) with malloc plus that hint for allocations of
// 4 MiB and more. Smaller ones, and everything under AddressSanitizer (which checks new/delete
// pairs through its own operator new), are unchanged. The memory is freed by the default
// operator delete, which calls free().
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if !defined(__SANITIZE_ADDRESS__)

namespace {

constexpr std::uintptr_t k_huge_page = std::uintptr_t{2} << 20;
constexpr std::size_t k_min_bytes = std::size_t{4} << 20;

void* allocate(std::size_t n) {
  if (n == 0) n = 1;
  for (;;) {
    if (void* p = std::malloc(n)) {
      if (n >= k_min_bytes) {
        // The whole huge pages inside the block; the hint's failure changes nothing.
        const auto begin = reinterpret_cast<std::uintptr_t>(p);
        const std::uintptr_t lo = (begin + k_huge_page - 1) & ~(k_huge_page - 1);
        const std::uintptr_t hi = (begin + n) & ~(k_huge_page - 1);
        if (hi > lo) {
          (void)madvise(reinterpret_cast<void*>(lo), hi - lo,  // NOLINT(performance-no-int-to-ptr)
                        MADV_HUGEPAGE);
        }
      }
      return p;
    }
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }

#endif
