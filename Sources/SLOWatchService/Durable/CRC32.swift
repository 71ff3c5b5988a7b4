/// CRC-32 as in zlib, gzip and PNG (IEEE 802.3: the reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF), table-driven, one byte at a time.
///
/// It guards the records of the data directory against torn writes and bit rot, not against an attacker.
enum CRC32: ByteChecksum {
    /// The remainder of each byte value, computed once.
    private static let table: [UInt32] = (0..<256).map { byte in
        var remainder = UInt32(byte)
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }

    /// The checksum of `bytes`, continuing from `previous` (the checksum of the bytes before them; 0 for
    /// none), so a long input may be fed in pieces.
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = ~previous
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return ~crc
    }
}
