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

    /// The kind byte of this record.
    private var kind: Kind {
        switch self {
        case .samples: .samples
        case .metricUpsert: .metricUpsert
        case .metricDelete: .metricDelete
        case .sloUpsert: .sloUpsert
        case .sloDelete: .sloDelete
        }
    }

    /// The payload bytes.
    func encode() -> [UInt8] {
        var capacity = 64
        if case .samples(let grouped) = self { capacity = 16 + 16 * grouped.count + 40 * grouped.names.count }
        var writer = BinaryWriter(capacity: capacity)
        writer.byte(kind.rawValue)
        switch self {
        case .samples(let grouped):
            writer.integer(UInt64(grouped.names.count))
            for index in grouped.names.indices {
                writer.string(grouped.names[index])
                let run = grouped.samples(of: index)
                writer.integer(UInt64(run.count))
                writer.samples(run)
            }
        case .metricUpsert(let definition):
            writer.definition(definition)
        case .metricDelete(let name):
            writer.string(name)
        case .sloUpsert(let slo):
            writer.slo(slo)
        case .sloDelete(let id):
            writer.string(id)
        }
        return writer.bytes
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
