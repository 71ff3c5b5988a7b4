/// A 32-bit checksum over raw bytes that can be continued piece by piece (``CRC32``, ``CRC32C``).
protocol ByteChecksum {
    /// The checksum of `bytes`, continuing from `previous` (the checksum of the bytes before them; 0
    /// for none).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32) -> UInt32
}

extension ByteChecksum {
    /// The checksum of `bytes`, continuing from `previous` (0 for none), from contiguous storage when
    /// the collection has it, else from a copy.
    static func checksum(_ bytes: some Collection<UInt8>, continuing previous: UInt32 = 0) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({
            checksum(UnsafeRawBufferPointer($0), continuing: previous)
        }) {
            return crc
        }
        return Array(bytes).withUnsafeBytes { checksum($0, continuing: previous) }
    }
}
