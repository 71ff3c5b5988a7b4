/// SHA-256 (FIPS 180-4), for the dashboard's `Content-Security-Policy` hashes and `ETag`, and for
/// comparing a presented bearer token with the configured one.
///
/// The token check runs on an I/O thread for every guarded request, over bytes an unauthenticated client
/// chooses, so the digest allocates nothing: it reads the message in place, keeps its state and message
/// schedule inline, and pads the last one or two blocks in a stack buffer. Foundation on Linux offers no
/// digest, and one function does not justify a crypto package.
enum SHA256 {
    /// A 32-byte digest, held inline as eight big-endian words (no heap allocation).
    struct Digest: Sendable, Equatable {
        fileprivate var words: InlineArray<8, UInt32>

        /// The 32 bytes, most significant byte of the first word first.
        var bytes: [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32)
            for index in words.indices {
                let word = words[index]
                bytes.append(UInt8(truncatingIfNeeded: word >> 24))
                bytes.append(UInt8(truncatingIfNeeded: word >> 16))
                bytes.append(UInt8(truncatingIfNeeded: word >> 8))
                bytes.append(UInt8(truncatingIfNeeded: word))
            }
            return bytes
        }

        /// Whether the two digests are equal, after looking at all 32 bytes of both: the time taken does
        /// not depend on where (or whether) they differ.
        func isEqualInConstantTime(to other: Digest) -> Bool {
            var difference: UInt32 = 0
            for index in words.indices { difference |= words[index] ^ other.words[index] }
            return difference == 0
        }

        /// Equal digests, compared in constant time.
        static func == (lhs: Digest, rhs: Digest) -> Bool { lhs.isEqualInConstantTime(to: rhs) }
    }

    /// The digest of `message`.
    static func digest(_ message: [UInt8]) -> Digest {
        message.withUnsafeBytes { digest($0) }
    }

    /// The digest of `message`, read in place.
    static func digest(_ message: UnsafeRawBufferPointer) -> Digest {
        var state = initialState
        let wholeBlockBytes = message.count / 64 * 64
        for start in stride(from: 0, to: wholeBlockBytes, by: 64) {
            compress(&state, UnsafeRawBufferPointer(rebasing: message[start..<start + 64]))
        }
        // The rest, then 0x80, zeros, and the length in bits as a big-endian UInt64: one block when the
        // rest leaves room for the 9 bytes, two otherwise.
        let rest = message.count - wholeBlockBytes
        let tailCount = rest + 9 <= 64 ? 64 : 128
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
            tail.initializeMemory(as: UInt8.self, repeating: 0)
            tail.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[wholeBlockBytes...]))
            tail[rest] = 0x80
            let bitLength = UInt64(message.count) &* 8
            tail.storeBytes(of: bitLength.bigEndian, toByteOffset: tailCount - 8, as: UInt64.self)
            for start in stride(from: 0, to: tailCount, by: 64) {
                compress(&state, UnsafeRawBufferPointer(rebasing: tail[start..<start + 64]))
            }
        }
        return Digest(words: state)
    }

    /// The 64 rounds over one 64-byte block, added into `state`.
    private static func compress(_ state: inout InlineArray<8, UInt32>, _ block: UnsafeRawBufferPointer) {
        var schedule = InlineArray<64, UInt32>(repeating: 0)
        for index in 0..<16 {
            schedule[index] = UInt32(
                bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
        for index in 16..<64 {
            let early = schedule[index - 15]
            let late = schedule[index - 2]
            let sigma0 = rotate(early, 7) ^ rotate(early, 18) ^ (early >> 3)
            let sigma1 = rotate(late, 17) ^ rotate(late, 19) ^ (late >> 10)
            schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
        }
        var (a, b, c, d) = (state[0], state[1], state[2], state[3])
        var (e, f, g, h) = (state[4], state[5], state[6], state[7])
        for index in 0..<64 {
            let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
            let choice = (e & f) ^ (~e & g)
            let temporary1 = h &+ sum1 &+ choice &+ roundConstants[index] &+ schedule[index]
            let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temporary2 = sum0 &+ majority
            (h, g, f, e) = (g, f, e, d &+ temporary1)
            (d, c, b, a) = (c, b, a, temporary1 &+ temporary2)
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
        state[5] &+= f
        state[6] &+= g
        state[7] &+= h
    }

    /// `word` rotated right by `count` bits.
    @inline(__always)
    private static func rotate(_ word: UInt32, _ count: UInt32) -> UInt32 {
        (word >> count) | (word << (32 - count))
    }

    /// The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static let initialState: InlineArray<8, UInt32> = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
        0x5be0_cd19,
    ]

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: InlineArray<64, UInt32> = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
        0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7,
        0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc,
        0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351,
        0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e,
        0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585,
        0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f,
        0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
        0xc671_78f2,
    ]
}
