import SLOWatchCore

/// One acknowledged change of state, as the journal stores it: the payload of one journal record.
///
/// The payload is one kind byte, then the fields in ``BinaryWriter``'s encoding. Samples are stored by
/// their bits, so replay rebuilds exactly the same rings; SLOs as the JSON members the API reads, so
/// the same decoder (and the same rules) read them back.
enum JournalRecord: Sendable, Equatable {
    /// Samples of one request or StatsD read, grouped by metric.
    case samples(GroupedSamples)
    /// A metric registered or its definition replaced (`PUT /metrics/{name}`).
    case metricUpsert(MetricDefinition)
    /// A metric and its samples removed.
    case metricDelete(String)
    /// An SLO added or replaced.
    case sloUpsert(SLODefinition)
    /// An SLO removed, by id.
    case sloDelete(String)

    /// The kind bytes.
    private enum Kind: UInt8 {
        case samples = 1
        case metricUpsert = 2
        case metricDelete = 3
        case sloUpsert = 4
        case sloDelete = 5
    }

    /// The payload bytes.
    func encode() -> [UInt8] {
        switch self {
        case .samples(let grouped):
            var writer = BinaryWriter(capacity: 16 + 16 * grouped.count + 40 * grouped.names.count)
            writer.byte(Kind.samples.rawValue)
            writer.integer(UInt64(grouped.names.count))
            for index in grouped.names.indices {
                writer.string(grouped.names[index])
                let run = grouped.samples(of: index)
                writer.integer(UInt64(run.count))
                writer.samples(run)
            }
            return writer.bytes
        case .metricUpsert(let definition):
            var writer = BinaryWriter()
            writer.byte(Kind.metricUpsert.rawValue)
            writer.definition(definition)
            return writer.bytes
        case .metricDelete(let name):
            var writer = BinaryWriter()
            writer.byte(Kind.metricDelete.rawValue)
            writer.string(name)
            return writer.bytes
        case .sloUpsert(let slo):
            var writer = BinaryWriter()
            writer.byte(Kind.sloUpsert.rawValue)
            writer.slo(slo)
            return writer.bytes
        case .sloDelete(let id):
            var writer = BinaryWriter()
            writer.byte(Kind.sloDelete.rawValue)
            writer.string(id)
            return writer.bytes
        }
    }

    /// The record in `payload`.
    /// - Throws: ``BinaryReader/Failure`` naming the part that is cut short or impossible.
    static func decode(_ payload: [UInt8]) throws(BinaryReader.Failure) -> JournalRecord {
        var reader = BinaryReader(payload)
        guard let kind = Kind(rawValue: try reader.byte("the record kind")) else {
            throw .init(what: "the record kind")
        }
        let record: JournalRecord
        switch kind {
        case .samples:
            var grouped = GroupedSamples()
            let metrics = try reader.count("the metric count", itemBytes: 16)
            for _ in 0..<metrics {
                let name = try reader.string("a metric name")
                let count = try reader.count("a sample count", itemBytes: 16)
                let run = try reader.samples(count, "the samples of \(name)")
                run.withUnsafeBufferPointer { grouped.append(name, $0) }
            }
            record = .samples(grouped)
        case .metricUpsert:
            record = .metricUpsert(try reader.definition())
        case .metricDelete:
            record = .metricDelete(try reader.string("a metric name"))
        case .sloUpsert:
            record = .sloUpsert(try reader.slo())
        case .sloDelete:
            record = .sloDelete(try reader.string("an SLO id"))
        }
        guard reader.isAtEnd else { throw .init(what: "the end of the record") }
        return record
    }
}
