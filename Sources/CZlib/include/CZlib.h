#ifndef CZLIB_H
#define CZLIB_H

#include <stddef.h>
#include <stdint.h>

/// Results of the functions below.
enum {
    /// The whole input was processed.
    CZLIB_OK = 0,
    /// Inflate: the output would exceed the caller's limit (a gzip bomb, or just too large); stopped there.
    CZLIB_TOO_LARGE = 1,
    /// Inflate: the input is not a complete, valid gzip stream (bad header, checksum, or truncated).
    CZLIB_CORRUPT = 2,
    /// zlib could not allocate its state or the output buffer.
    CZLIB_NO_MEMORY = 3,
};

/// The most bytes `czlib_gzip` can write for `length` input bytes (zlib's deflateBound with the gzip
/// wrapper), so a buffer of this size never runs out.
size_t czlib_gzip_bound(size_t length);

/// Compresses the `length` bytes at `input` into one gzip member (RFC 1952) at `output`, which has room
/// for `capacity` bytes (at least `czlib_gzip_bound(length)`), with compression `level` 1 (fastest) to 9
/// (smallest). Stores the bytes written in `*written`. Returns CZLIB_OK, or CZLIB_NO_MEMORY.
int czlib_gzip(const uint8_t *input, size_t length, int level, uint8_t *output, size_t capacity,
               size_t *written);

/// Decompresses the gzip stream (one or more members) in the `length` bytes at `input` into a buffer
/// it allocates with malloc and grows as needed, never beyond `limit` bytes: the output is stored in
/// `*output` (free it with `czlib_free`, also on failure) and its size in `*written`. Returns CZLIB_OK,
/// CZLIB_TOO_LARGE as soon as the output would pass `limit` (no more is inflated), CZLIB_CORRUPT, or
/// CZLIB_NO_MEMORY.
int czlib_gunzip(const uint8_t *input, size_t length, size_t limit, uint8_t **output, size_t *written);

/// Frees a buffer `czlib_gunzip` returned (NULL is allowed).
void czlib_free(uint8_t *buffer);

#endif
