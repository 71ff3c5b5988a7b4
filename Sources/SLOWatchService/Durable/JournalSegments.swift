import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The journal's files and their framing.
///
/// A segment is `journal-<first LSN as 16 hex digits>`. Each record in it is
/// `[u32 payload length][u32 CRC-32C of payload ‖ LSN][payload][u64 LSN]`, little-endian, so the
/// checksum also pins the record's place in the order. A segment is read until its first record that
/// is cut short or fails its checksum: the records before it are the intact prefix.
enum JournalSegments {
    /// The prefix of a segment's name.
    static let prefix = "journal-"
    /// The most bytes one record's payload may have (256 MiB): a larger length field is damage.
    static let maximumPayloadBytes = 1 << 28
    /// The framing around each payload, in bytes.
    static let framingBytes = 16

    /// The name of the segment whose first record is `lsn`.
    static func name(startingAt lsn: UInt64) -> String {
        let hex = String(lsn, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// The first LSN in a segment's name, or nil when `name` is not a segment's.
    static func firstSequence(of name: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.utf8.count == prefix.utf8.count + 16 else { return nil }
        return UInt64(name.dropFirst(prefix.count), radix: 16)
    }

    /// The segments in `directory`, in LSN order.
    static func list(_ directory: DataDirectory) -> [(name: String, first: UInt64)] {
        guard let folder = opendir(directory.path) else { return [] }
        defer { closedir(folder) }
        var segments: [(name: String, first: UInt64)] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                guard let base = raw.baseAddress else { return "" }
                return String(cString: base.assumingMemoryBound(to: CChar.self))
            }
            if let first = firstSequence(of: name) { segments.append((name, first)) }
        }
        return segments.sorted { $0.first < $1.first }
    }

    /// `payload` framed as the record with `lsn`, continuing from `payloadChecksum` (the payload's
    /// CRC-32C, computed by the submitter), so the writer thread checksums only 8 bytes per record.
    static func frame(_ payload: [UInt8], payloadChecksum: UInt32, lsn: UInt64, into bytes: inout [UInt8]) {
        var sequence = lsn.littleEndian
        let checksum = withUnsafeBytes(of: &sequence) { CRC32C.checksum($0, continuing: payloadChecksum) }
        appendLittleEndian(UInt64(payload.count), bytes: 4, to: &bytes)
        appendLittleEndian(UInt64(checksum), bytes: 4, to: &bytes)
        bytes.append(contentsOf: payload)
        appendLittleEndian(lsn, bytes: 8, to: &bytes)
    }

    /// Reads every intact record of every segment in LSN order and hands those with an LSN of at least
    /// `first` to `apply`. A damaged segment keeps its intact prefix; the damage is logged, and the
    /// later segments are still read (their records were acknowledged after a fresh segment began).
    /// - Returns: the newest LSN read (0 when none).
    static func replay(
        _ directory: DataDirectory, from first: UInt64, logger: Logger,
        _ apply: (UInt64, JournalRecord) -> Void
    ) -> UInt64 {
        var newest: UInt64 = 0
        for segment in list(directory) {
            let path = directory.path(of: segment.name)
            var records = 0
            var problem: String?
            do throws(DataDirectoryError) {
                guard let reader = try FileReader(path: path) else { continue }
                while true {
                    let header = try reader.read(8)
                    if header.isEmpty { break }
                    guard header.count == 8 else {
                        problem = "a record header is cut short"
                        break
                    }
                    let length = Int(littleEndian(header, 0, 4))
                    let expected = UInt32(littleEndian(header, 4, 4))
                    guard length <= maximumPayloadBytes else {
                        problem = "a length field of \(length) bytes is impossible"
                        break
                    }
                    let body = try reader.read(length + 8)
                    guard body.count == length + 8 else {
                        problem = "the last record is cut short"
                        break
                    }
                    guard CRC32C.checksum(body) == expected else {
                        problem = "a record fails its checksum"
                        break
                    }
                    let lsn = littleEndian(body, length, 8)
                    let record: JournalRecord
                    do {
                        record = try JournalRecord.decode(Array(body[0..<length]))
                    } catch {
                        problem = "record #\(lsn) cannot be read (\(error.what))"
                        break
                    }
                    records += 1
                    newest = max(newest, lsn)
                    if lsn >= first { apply(lsn, record) }
                }
            } catch {
                problem = error.message
            }
            if let problem {
                logger.error(
                    "The journal segment \(path) is damaged after \(records) intact records (\(problem)); kept those and went on with the next segment."
                )
            }
        }
        return newest
    }

    /// Appends the `bytes` low bytes of `value`, little-endian.
    private static func appendLittleEndian(_ value: UInt64, bytes count: Int, to bytes: inout [UInt8]) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    /// The `count` little-endian bytes at `offset` as a number; the caller checked they exist.
    private static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
