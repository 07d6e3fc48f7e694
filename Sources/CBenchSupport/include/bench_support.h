#ifndef CONFIRMATIONKIT_BENCH_SUPPORT_H
#define CONFIRMATIONKIT_BENCH_SUPPORT_H
#include <stddef.h>
/// Bytes currently allocated by malloc (glibc mallinfo2().uordblks); 0 where unavailable.
size_t confirmationkit_heap_in_use(void);
/// Returns freed heap memory to the system (glibc malloc_trim); no-op elsewhere.
void confirmationkit_trim_heap(void);
#endif
