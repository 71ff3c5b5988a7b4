/// The framing of every record slowatch writes to its data directory: a 4-byte little-endian payload
/// length, the payload's 4-byte little-endian ``CRC32``, then the payload.
///
/// A file of records is read front to back until the first record that is incomplete or fails its
/// checksum: everything before it is good, and whether it reaches the end of the file tells a torn
/// append (a crash mid-write) from damage in the middle.
enum ChecksummedRecord {
    /// The length and checksum before each payload, in bytes.
    static let headerBytes = 8
    /// The largest payload accepted, in bytes (1 GiB): a larger length field is damage, not data.
    static let maximumPayloadBytes = 1 << 30

    /// What reading a file of records found.
    struct Scan: Equatable {
        /// The payloads of the good records, in file order.
        var payloads: [[UInt8]] = []
        /// The bytes the good records take from the start of the file; the rest is damaged.
        var validBytes = 0
        /// Whether a damaged record was found: the file holds more than `validBytes` bytes.
        var isDamaged = false
        /// Whether the damaged record runs to the end of the file with no good record after it: a torn
        /// last append. False when the file is whole, or when good-looking bytes follow the damage.
        var isTornTail = false
    }

    /// `payload` framed as a record.
    static func encode(_ payload: [UInt8]) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(headerBytes + payload.count)
        appendLittleEndian(UInt32(truncatingIfNeeded: payload.count), to: &record)
        appendLittleEndian(CRC32.checksum(payload), to: &record)
        record.append(contentsOf: payload)
        return record
    }

    /// Reads records from the start of `bytes` until the end or the first damaged record.
    static func scan(_ bytes: [UInt8]) -> Scan {
        var scan = Scan()
        var offset = 0
        while offset < bytes.count {
            guard let (payload, next) = record(in: bytes, at: offset) else {
                scan.isDamaged = true
                scan.isTornTail = isTorn(bytes, at: offset)
                break
            }
            scan.payloads.append(payload)
            offset = next
        }
        scan.validBytes = offset
        return scan
    }

    /// The payload of the one record that `bytes` must hold exactly, or nil when they hold anything else.
    static func single(_ bytes: [UInt8]) -> [UInt8]? {
        guard let (payload, next) = record(in: bytes, at: 0), next == bytes.count else { return nil }
        return payload
    }

    /// The payload of the record at `offset` and the offset after it, or nil when it is incomplete or its
    /// checksum fails.
    private static func record(in bytes: [UInt8], at offset: Int) -> ([UInt8], Int)? {
        guard bytes.count - offset >= headerBytes else { return nil }
        let length = Int(littleEndian(bytes, at: offset))
        let expected = littleEndian(bytes, at: offset + 4)
        let start = offset + headerBytes
        guard length <= maximumPayloadBytes, bytes.count - start >= length else { return nil }
        let payload = Array(bytes[start..<(start + length)])
        guard CRC32.checksum(payload) == expected else { return nil }
        return (payload, start + length)
    }

    /// Whether the damaged record at `offset` is a torn last append: its header is cut short, its length
    /// runs past the end, or it is the last record and only its payload is wrong.
    private static func isTorn(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard bytes.count - offset >= headerBytes else { return true }
        let length = Int(littleEndian(bytes, at: offset))
        return length > bytes.count - offset - headerBytes || offset + headerBytes + length == bytes.count
    }

    /// Appends `value` as 4 little-endian bytes.
    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// The 4 little-endian bytes at `offset` as a number; the caller checked that they exist.
    private static func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
