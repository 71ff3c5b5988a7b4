import CNumberText

/// CRC-32C (Castagnoli: the reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF),
/// as iSCSI, ext4 and LevelDB use it. On x86-64 CPUs with SSE4.2 it runs the `crc32` instruction
/// (8 bytes per instruction, checked once at run time); elsewhere slicing-by-8 (eight 1 KiB tables,
/// about 8 bytes per step). Both give the same value for every input.
///
/// It frames the sample journal and the v2 snapshot: it catches torn writes and flipped bits, not an
/// attacker. ``CRC32`` (IEEE) stays for the older files.
enum CRC32C: ByteChecksum {
    /// `tables[k][b]`: the remainder of byte `b` followed by `k` zero bytes; 8 × 256 entries.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var remainder = UInt32(byte)
            for _ in 0..<8 {
                remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0x82F6_3B78 : remainder >> 1
            }
            tables[byte] = remainder
        }
        for byte in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// Whether this CPU runs the SSE4.2 `crc32` instruction; asked once.
    static let usesHardware: Bool = cnumbertext_crc32c_hardware_available() == 1

    /// The checksum of `bytes`, continuing from `previous` (the checksum of the bytes before them; 0 for
    /// none), so a long input may be fed in pieces.
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        guard usesHardware else { return tableChecksum(bytes, continuing: previous) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return previous }
        return ~cnumbertext_crc32c_update(
            ~previous, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// The portable slicing-by-8 version of `checksum(_:continuing:)`, whatever the CPU; the
    /// tests compare the two.
    static func tableChecksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = ~previous
        tables.withUnsafeBufferPointer { table in
            var index = 0
            let count = bytes.count
            while count - index >= 8 {
                let low =
                    crc ^ UInt32(bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian)
                let high = UInt32(
                    bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian)
                crc =
                    table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = table[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        return ~crc
    }
}
