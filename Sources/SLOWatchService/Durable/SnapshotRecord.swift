import SLOWatchCore

/// The records of a v2 snapshot (`snapshot`, format version 2), which is streamed: written and read one
/// record at a time, never held in memory whole.
///
/// The file is the 8 bytes `SLWSNAP2`, then records framed as `[u64 payload length][u32 CRC-32C of the
/// payload][payload]` (little-endian): one ``header``, per metric one ``metric`` followed by its
/// ``history`` with its ``historyPieces``, each of its ``budgetCounter``s with its ``budgetSlots``,
/// then ``chunk``s of at most ``chunkSamples`` samples (oldest first) and ``skipped`` records, and a
/// ``trailer`` with the counts. A file that lacks the trailer, or whose counts disagree, is damaged.
/// The history and counter records (kinds 6 to 9, and the history's cumulative total, kind 10) came later, with no change of magic: a file without
/// them restores the history from the ring's samples, as before, and only an older binary fails on
/// a file that has them. The history records' slices are coded in ``SliceCoding/version1`` in kinds
/// 6, 7 and 10 and in ``SliceCoding/version2`` in kinds 11, 12 and 13 (the same records otherwise),
/// which are the ones written now: a file with kinds 6, 7 and 10 still restores (its slices are coded
/// again in version 2 as they are read), and only an older binary fails on one with 11 to 13.
/// The history head is kind 14 since a history's pieces stopped holding the summary of each level's
/// open group (the group of the tier's newest slice, which a restore summarises afresh): the same
/// payload as kind 11, under a new kind so that an older binary, which would take the missing summary
/// as an empty one and answer too few samples for that group, fails on the file instead. Kind 11 still
/// restores; its open-group summaries are dropped as they are read.
///
/// A metric's `sampleCount` is what its ring held at the cut; its chunks and skipped records add up to
/// it. `skipped` (kind 5) was added after the first files of this version were written, with no change
/// of magic: a file without one (any file whose writer met no concurrent overwrite, and every file
/// written before) reads exactly as before, and only an older binary fails on a file that has one.
enum SnapshotRecord: Sendable, Equatable {
    /// What the snapshot starts with.
    struct Header: Sendable, Equatable {
        /// The journal LSN at which the snapshot starts: every change before it is in the snapshot, and
        /// the journal is replayed from it.
        var start: UInt64
        /// The LSN of the newest SLO change the snapshot's SLOs hold.
        var sloSequence: UInt64
        /// The newest event sequence handed out when the snapshot was taken.
        var lastEventSequence: UInt64
        /// The SLOs, in check order.
        var slos: [SLODefinition]
    }

    /// One metric, before its samples.
    struct Metric: Sendable, Equatable {
        /// The definition when the metric was copied.
        var definition: MetricDefinition
        /// The LSN of the newest journal record the metric's copy holds.
        var appliedSequence: UInt64
        /// Samples accepted since registration.
        var recorded: UInt64
        /// Samples overwritten by newer ones since registration.
        var overflow: UInt64
        /// How many samples the ring held at the cut: its chunks' samples plus its skipped ones.
        var sampleCount: UInt64
    }

    /// The first record: where the journal resumes, the SLOs and the event sequence.
    case header(Header)
    /// A metric, followed by its chunks.
    case metric(Metric)
    /// Samples of the metric before, oldest first.
    case chunk([RecentSample])
    /// The next this many samples of the metric before were overwritten by newer samples while the
    /// snapshot copied it, so they are not in the file: the newer samples are in the journal past the
    /// metric's `appliedSequence`, and replaying them evicts these again. They count as overflow.
    case skipped(UInt64)
    /// The end: how many metrics and samples the file holds (skipped samples not included).
    case trailer(metrics: UInt64, samples: UInt64)
    /// The history of the metric before at its cut, without its slices and summaries: `pieces` of them
    /// follow in ``historyPieces`` records.
    case history(MetricHistory.Saved, pieces: UInt64)
    /// The next slices and summaries of the history before, in order.
    case historyPieces([MetricHistory.SavedPiece])
    /// A budget counter of the metric before at its cut, without its slots: `slots` of them follow in
    /// ``budgetSlots`` records.
    case budgetCounter(SavedBudgetCounter, slots: UInt64)
    /// The next non-zero slots of the budget counter before, ascending.
    case budgetSlots([SavedBudgetSlot])
    /// The closed cumulative total of the history before (``MetricHistory/closedTotal``: every sample
    /// it counted since registration outside its open slice), written after its pieces. Kind 10 came
    /// later, with no change of magic: a file without it restores the total rebuilt from the restored
    /// slices.
    case historyTotal(CompactHistogram)

    /// The first bytes of the file.
    static let magic = Array("SLWSNAP2".utf8)
    /// The most samples in one chunk (64 Ki, 1 MiB): the memory a reader needs per record.
    static let chunkSamples = 1 << 16
    /// The most coded slice bytes a ``historyPieces`` record holds before the writer starts another
    /// (1 MiB; a piece is at most a few tens of KiB).
    static let historyPieceBytes = 1 << 20
    /// The most slots in one ``budgetSlots`` record (32 Ki, 1 MiB).
    static let budgetSlotsPerRecord = 1 << 15
    /// The largest payload accepted, in bytes: a larger length field is damage, not data.
    static let maximumPayloadBytes = 64 << 20

    /// The payload bytes.
    func encode() -> [UInt8] {
        var writer = BinaryWriter()
        switch self {
        case .header(let header):
            writer.byte(1)
            writer.integer(header.start)
            writer.integer(header.sloSequence)
            writer.integer(header.lastEventSequence)
            writer.integer(UInt64(header.slos.count))
            for slo in header.slos { writer.slo(slo) }
        case .metric(let metric):
            writer.byte(2)
            writer.definition(metric.definition)
            writer.integer(metric.appliedSequence)
            writer.integer(metric.recorded)
            writer.integer(metric.overflow)
            writer.integer(metric.sampleCount)
        case .chunk(let samples):
            writer = BinaryWriter(capacity: 16 + 16 * samples.count)
            writer.byte(3)
            writer.integer(UInt64(samples.count))
            writer.samples(samples[...])
        case .skipped(let count):
            writer.byte(5)
            writer.integer(count)
        case .trailer(let metrics, let samples):
            writer.byte(4)
            writer.integer(metrics)
            writer.integer(samples)
        case .history(let saved, let pieces):
            writer.byte(14)
            writer.historyHead(saved, pieceCount: pieces)
        case .historyPieces(let pieces):
            writer.byte(12)
            writer.integer(UInt64(pieces.count))
            for piece in pieces { writer.historyPiece(piece) }
        case .budgetCounter(let counter, let slots):
            writer.byte(8)
            writer.budgetCounter(counter)
            writer.integer(slots)
        case .budgetSlots(let slots):
            writer.byte(9)
            writer.integer(UInt64(slots.count))
            for slot in slots { writer.budgetSlot(slot) }
        case .historyTotal(let total):
            writer.byte(13)
            writer.byteArray(total.codedBytes)
        }
        return writer.bytes
    }

    /// The record in `payload`.
    /// - Throws: ``BinaryReader/Failure`` naming the part that is cut short or impossible.
    static func decode(_ payload: [UInt8]) throws(BinaryReader.Failure) -> SnapshotRecord {
        var reader = BinaryReader(payload)
        let record: SnapshotRecord
        let kind = try reader.byte("the record kind")
        switch kind {
        case 1:
            var header = Header(
                start: try reader.integer("the start"), sloSequence: try reader.integer("the SLO sequence"),
                lastEventSequence: try reader.integer("the event sequence"), slos: [])
            let count = try reader.count("the SLO count", itemBytes: 16)
            for _ in 0..<count { header.slos.append(try reader.slo()) }
            record = .header(header)
        case 2:
            record = .metric(
                Metric(
                    definition: try reader.definition(), appliedSequence: try reader.integer("a sequence"),
                    recorded: try reader.integer("a recorded count"),
                    overflow: try reader.integer("an overflow"),
                    sampleCount: try reader.integer("a sample count")))
        case 3:
            let count = try reader.count("a chunk's sample count", itemBytes: 16)
            record = .chunk(try reader.samples(count, "a chunk's samples"))
        case 4:
            record = .trailer(
                metrics: try reader.integer("the metric count"),
                samples: try reader.integer("the sample count"))
        case 5:
            record = .skipped(try reader.integer("a skipped count"))
        case 6, 11, 14:
            let head = try reader.historyHead(version: kind == 6 ? .version1 : .version2)
            record = .history(head.saved, pieces: head.pieceCount)
        case 7, 12:
            let version: SliceCoding = kind == 7 ? .version1 : .version2
            var pieces: [MetricHistory.SavedPiece] = []
            for _ in 0..<(try reader.count("a history piece count", itemBytes: 32)) {
                pieces.append(try reader.historyPiece(version: version))
            }
            record = .historyPieces(pieces)
        case 8:
            record = .budgetCounter(try reader.budgetCounter(), slots: try reader.integer("a slot count"))
        case 9:
            var slots: [SavedBudgetSlot] = []
            for _ in 0..<(try reader.count("a budget slot count", itemBytes: 32)) {
                slots.append(try reader.budgetSlot())
            }
            record = .budgetSlots(slots)
        case 10, 13:
            record = .historyTotal(
                try reader.compactHistogram(
                    "a history's cumulative total", version: kind == 10 ? .version1 : .version2))
        default:
            throw BinaryReader.Failure(what: "the record kind")
        }
        guard reader.isAtEnd else { throw BinaryReader.Failure(what: "the end of a record") }
        return record
    }

    /// `payload` framed for the file.
    static func frame(_ payload: [UInt8], into bytes: inout [UInt8]) {
        let checksum = CRC32C.checksum(payload)
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * index))) }
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: checksum >> (8 * index))) }
        bytes.append(contentsOf: payload)
    }

    /// The next record of `reader`, or nil at the end of the file.
    /// - Throws: ``BinaryReader/Failure`` when the record is cut short, too long, fails its checksum or
    ///   cannot be read; ``DataDirectoryError`` when reading fails.
    static func next(_ reader: FileReader) throws -> SnapshotRecord? {
        let header = try reader.read(12)
        if header.isEmpty { return nil }
        guard header.count == 12 else { throw BinaryReader.Failure(what: "a record header (cut short)") }
        let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(header[$1]) << (8 * $1) }
        let expected = (8..<12).reduce(UInt32(0)) { $0 | UInt32(header[$1]) << (8 * ($1 - 8)) }
        guard length <= UInt64(maximumPayloadBytes) else {
            throw BinaryReader.Failure(what: "a record length")
        }
        let payload = try reader.read(Int(length))
        guard payload.count == Int(length) else { throw BinaryReader.Failure(what: "a record (cut short)") }
        guard CRC32C.checksum(payload) == expected else {
            throw BinaryReader.Failure(what: "a record's checksum")
        }
        return try decode(payload)
    }
}
