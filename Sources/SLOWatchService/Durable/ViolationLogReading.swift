import SLOWatchCore

/// What `violations.log` holds: its intact events, where they end, and what follows them.
///
/// The log is read front to back until the first record that is incomplete, fails its checksum, does
/// not hold an event, or does not continue the sequence. Everything before that point is intact and
/// always kept. What follows is one of two things:
/// - a **torn tail**, the last append cut short by a crash or a power cut: the file ends inside the
///   record (its header is cut short, or its length runs past the end of the file), the length is one
///   an event record can have (at most ``largestTornRecordBytes``), the bytes after the header are not
///   a whole record whose length alone is wrong, and no whole record starts anywhere after it. It is
///   cut off with a warning;
/// - **damage**, anything else (a bad checksum on a record that is all there, an impossible length, a
///   flipped bit in a length field, junk appended, a whole record after the bad one, an undecodable
///   event): in any doubt, the file is set aside for inspection.
///
/// Both lose the events in the cut bytes, so a restore is told that events were lost either way.
struct ViolationLogReading {
    /// What follows the intact records.
    enum Ending: Equatable {
        /// Nothing: the file is whole.
        case whole
        /// The last append, cut short.
        case tornTail
        /// Damage, with a sentence saying where and what.
        case damaged(String)
    }

    /// The largest record length a torn tail may claim, in bytes (1 MiB; an event record takes well
    /// under a kilobyte): a longer one can only be damage.
    static let largestTornRecordBytes = 1 << 20

    /// The intact events, oldest first, with strictly increasing sequences.
    var events: [Event] = []
    /// The bytes the intact records take from the start of the file.
    var intactBytes = 0
    /// What follows them.
    var ending = Ending.whole

    /// Reads `bytes`, the whole file.
    init(_ bytes: [UInt8]) {
        let scan = ChecksummedRecord.scan(bytes)
        for payload in scan.payloads {
            guard let event = try? EventRecord.decode(payload) else {
                ending = .damaged(
                    "the record at offset \(intactBytes) passes its checksum but holds no event")
                return
            }
            if let previous = events.last?.sequence, event.sequence <= previous {
                ending = .damaged(
                    "the record at offset \(intactBytes) holds event #\(event.sequence) after #\(previous)")
                return
            }
            events.append(event)
            intactBytes += ChecksummedRecord.headerBytes + payload.count
        }
        if intactBytes < bytes.count { ending = Self.classify(bytes, at: intactBytes) }
    }

    /// Whether the bad record at `offset` is a torn tail or damage (see the type's rule).
    static func classify(_ bytes: [UInt8], at offset: Int) -> Ending {
        let header = ChecksummedRecord.headerBytes
        let remaining = bytes.count - offset
        guard remaining >= header else { return .tornTail }
        let length = Int(word(bytes, at: offset))
        let expected = word(bytes, at: offset + 4)
        if length <= remaining - header {
            return .damaged("the record at offset \(offset) fails its checksum")
        }
        if length > largestTornRecordBytes {
            return .damaged(
                "the record at offset \(offset) claims \(length) bytes, more than any event record")
        }
        if CRC32.checksum(bytes[(offset + header)...]) == expected {
            return .damaged("the length field of the record at offset \(offset) is wrong")
        }
        if let later = firstWholeRecord(in: bytes, after: offset) {
            return .damaged(
                "the record at offset \(offset) is bad and a whole record follows at offset \(later)")
        }
        return .tornTail
    }

    /// The offset of the first non-empty record with a matching checksum that starts after `offset`, or
    /// nil. Only called on a tail shorter than ``largestTornRecordBytes`` plus a header.
    private static func firstWholeRecord(in bytes: [UInt8], after offset: Int) -> Int? {
        let header = ChecksummedRecord.headerBytes
        var start = offset + 1
        while start + header < bytes.count {
            let length = Int(word(bytes, at: start))
            if length > 0, length <= bytes.count - start - header,
                CRC32.checksum(bytes[(start + header)..<(start + header + length)])
                    == word(bytes, at: start + 4)
            {
                return start
            }
            start += 1
        }
        return nil
    }

    /// The 4 little-endian bytes at `offset`; the caller checked that they exist.
    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
