#include "bench_support.h"
#if defined(__linux__)
#include <features.h>
#include <malloc.h>
#endif

size_t confirmationkit_heap_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    return info.uordblks;
#else
    return 0;
#endif
}

void confirmationkit_trim_heap(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
