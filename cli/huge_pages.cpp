// Large allocations of the srma program on transparent huge pages.
//
// Reading a file of 10^6 studies fills about 100 MB of fresh memory. On 4 KiB pages that is some
// 25,000 page faults, which took a third of `srma pool`'s time on the virtual machines we
// measure on (docs/benchmarks.md, "A file of 10^6 studies"); on 2 MiB pages it is some 50.
// Linux backs memory with huge pages where the system setting is "always", or where the program
// asks with madvise(MADV_HUGEPAGE) when it is "madvise". glibc can ask for every allocation
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), but only through the environment at start-up, and no
// library does it per allocation; so the program replaces the global operator new (which the
// standard allows a program to do, [new.delete]) with one that gives allocations of 2 MiB and
// more whole huge pages (aligned_alloc at a 2 MiB boundary plus that hint). Smaller ones, and
// everything under AddressSanitizer (which checks new/delete pairs through its own operator
// new), are unchanged. The memory is freed by the default operator delete, which calls free()
// (valid for aligned_alloc's blocks).
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

#if !defined(__SANITIZE_ADDRESS__)

namespace {

constexpr std::size_t k_huge_page = std::size_t{2} << 20;

void* allocate(std::size_t n) {
  if (n == 0) n = 1;
  for (;;) {
    void* p = nullptr;
    if (n >= k_huge_page) {
      // Whole huge pages: a block of 2 MiB multiples at a 2 MiB boundary, so that none of it
      // is left on 4 KiB pages at its ends (an unaligned 4 MB vector had a quarter of its pages
      // there). The price: up to 2 MiB more per block, of address space and, once its last huge
      // page is touched, of memory (`srma pool` of 10^6 studies: 96 -> 100 MB peak). The hint's
      // failure changes nothing.
      const std::size_t rounded = (n + k_huge_page - 1) & ~(k_huge_page - 1);
      if (rounded >= n) p = std::aligned_alloc(k_huge_page, rounded);
      if (p != nullptr) (void)madvise(p, rounded, MADV_HUGEPAGE);
    } else {
      p = std::malloc(n);
    }
    if (p != nullptr) return p;
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }

#endif
