// CRC-32C (Castagnoli) with the SSE4.2 `crc32` instruction where the CPU has it. The caller keeps a
// portable table version and uses this one only when `cnumbertext_crc32c_hardware_available()` is 1.
#include "CNumberText.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)

int cnumbertext_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t cnumbertext_crc32c_update(uint32_t crc, const unsigned char *bytes, size_t length) {
    uint64_t state = crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        state = __builtin_ia32_crc32di(state, word);
        bytes += 8;
        length -= 8;
    }
    uint32_t state32 = (uint32_t)state;
    while (length > 0) {
        state32 = __builtin_ia32_crc32qi(state32, *bytes);
        bytes += 1;
        length -= 1;
    }
    return state32;
}

#else

int cnumbertext_crc32c_hardware_available(void) { return 0; }

uint32_t cnumbertext_crc32c_update(uint32_t crc, const unsigned char *bytes, size_t length) {
    (void)bytes;
    (void)length;
    return crc;
}

#endif
