#ifndef CNUMBERTEXT_H
#define CNUMBERTEXT_H

#include <stddef.h>

/// The double nearest to the `length` bytes at `text` (number text already checked against JSON's
/// grammar, not NUL-terminated), correctly rounded by strtod_l in the POSIX locale, whatever locale
/// the process runs in. Overflow gives ±HUGE_VAL (infinity); NaN means the conversion could not run
/// (no memory for an absurdly long number, or no POSIX locale object). The caller refuses both.
double cnumbertext_strtod(const unsigned char *text, size_t length);

#endif
