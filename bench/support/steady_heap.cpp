// Every benchmark process keeps the memory it frees for its next allocation, as R's heap and any
// long-running program do, so that a row measures the computation and not the kernel.
//
// glibc returns the top of its heap to the system when more than M_TRIM_THRESHOLD (128 KiB by
// default, raised at run time by its own heuristics) lies free there, and maps blocks above
// M_MMAP_THRESHOLD afresh each time. A call that allocates and frees a few hundred KB, such as
// gosh() of 12 studies keeping all 4,095 fits (213 KB), then page-faults all of it at every
// call: on the virtual machines we measure on that is some 0.13 ms of a 0.06 ms call, and
// whether it happens depended on the heap's state left by whatever ran before (docs/
// benchmarks.md). Fixed thresholds make the rows repeatable; a program that calls srma once
// pays those page faults once.
#include <malloc.h>

namespace {

const bool k_steady_heap = [] {
  (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);  // keep up to 256 MiB free at the heap's top
  (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);   // blocks below 32 MiB come from the heap
  return true;
}();

}  // namespace
