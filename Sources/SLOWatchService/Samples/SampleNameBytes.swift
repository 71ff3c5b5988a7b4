import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hashing and comparing metric names as raw bytes, for the tables that find a body's names again
/// (``SampleNameTable``, ``SampleHandleCache``).
///
/// Names of at most 16 bytes, the usual ones, are read as two 8-byte words (overlapping for 9 to 15
/// bytes); longer ones fall back to the core's word-at-a-time hash. A collision costs only a byte
/// comparison, so the hash needs to spread well, not to resist a chosen input: the tables that use it
/// are bounded per body and per thread, and a seed drawn once per process keeps a client from aiming
/// every name at one slot.
enum SampleNameBytes {
    /// A seed drawn once per process.
    static let seed = UInt64.random(in: 1...UInt64.max)

    /// The hash of `bytes` under `seed`. Equal bytes give equal hashes; its low bits pick a slot.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let count = bytes.count
        guard count <= 16, let base = bytes.baseAddress else {
            return MetricIndex.hash(bytes: bytes, seed: seed)
        }
        let (first, last) = words(base, count: count)
        // Two independent multiplications folded together, then a shift so that high bits reach the
        // low ones the slot is taken from.
        var hash = (first ^ seed) &* 0x9E37_79B9_7F4A_7C15
        hash ^= (last ^ UInt64(truncatingIfNeeded: count)) &* 0xC2B2_AE3D_27D4_EB4F
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 29)
    }

    /// Whether `left` and `right` hold the same bytes.
    @inline(__always)
    static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = left.count
        guard count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        if count <= 16 {
            let (leftFirst, leftLast) = words(leftBase, count: count)
            let (rightFirst, rightLast) = words(rightBase, count: count)
            return leftFirst == rightFirst && leftLast == rightLast
        }
        return memcmp(leftBase, rightBase, count) == 0
    }

    /// The bytes of a name of at most 16 bytes as two words that together hold every byte: the first
    /// and last 8 (overlapping below 16) when there are 8 or more, else the bytes packed into the first
    /// word and 0. Reads only inside the `count` bytes at `base`.
    @inline(__always)
    private static func words(_ base: UnsafePointer<UInt8>, count: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(base)
        if count >= 8 {
            return (
                raw.loadUnaligned(as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            )
        }
        var packed: UInt64 = 0
        if count >= 4 {
            // Two overlapping 4-byte loads cover 4 to 7 bytes.
            packed =
                UInt64(raw.loadUnaligned(as: UInt32.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
        } else {
            for offset in 0..<count { packed |= UInt64(base[offset]) << UInt64(8 * offset) }
        }
        return (packed, 0)
    }
}
