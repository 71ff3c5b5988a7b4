#ifndef CNUMBERTEXT_H
#define CNUMBERTEXT_H

#include <stddef.h>
#include <stdint.h>

/// The double nearest to the `length` bytes at `text` (number text already checked against JSON's
/// grammar, not NUL-terminated), correctly rounded by strtod_l in the POSIX locale, whatever locale
/// the process runs in. Overflow gives ±HUGE_VAL (infinity); NaN means the conversion could not run
/// (no memory for an absurdly long number, or no POSIX locale object). The caller refuses both.
double cnumbertext_strtod(const unsigned char *text, size_t length);

/// 1 when this CPU has the SSE4.2 `crc32` instruction (x86-64 only), else 0; checked at run time.
int cnumbertext_crc32c_hardware_available(void);

/// CRC-32C of the `length` bytes at `bytes` with the SSE4.2 instruction, from the raw (already
/// inverted, not finally XORed) register `crc`; returns the raw register. Call only when
/// `cnumbertext_crc32c_hardware_available()` returned 1 (elsewhere it returns `crc` unchanged).
uint32_t cnumbertext_crc32c_update(uint32_t crc, const unsigned char *bytes, size_t length);

#endif
