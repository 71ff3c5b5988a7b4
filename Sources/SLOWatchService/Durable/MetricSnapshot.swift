import SLOWatchCore

/// A copy of every ring buffer and of the event sequence counter: the payload of the `snapshot` file.
///
/// Samples are kept oldest first with their timestamps, so that re-recording them in order rebuilds the
/// same window (and so the same percentiles). Numbers are stored by their bits, exactly.
struct MetricSnapshot: Sendable, Equatable {
    /// One metric: its definition and its samples, oldest first.
    struct Metric: Sendable, Equatable {
        /// The definition when the snapshot was taken.
        var definition: MetricDefinition
        /// The samples held, oldest first.
        var samples: [RecentSample]
    }

    /// The first bytes of the payload, naming the format and its version.
    static let magic = "slowatch-snapshot-1"

    /// The last event sequence handed out.
    var lastSequence: UInt64
    /// The ``DefinitionsFile/generation`` current when the snapshot was taken (see ``DurableState``).
    var definitionsGeneration: UInt64
    /// Every metric, sorted by name.
    var metrics: [Metric]

    /// The payload bytes.
    func encode() -> [UInt8] {
        let sampleCount = metrics.reduce(0) { $0 + $1.samples.count }
        var writer = BinaryWriter(capacity: 64 + 128 * metrics.count + 16 * sampleCount)
        writer.string(Self.magic)
        writer.integer(lastSequence)
        writer.integer(definitionsGeneration)
        writer.integer(UInt64(metrics.count))
        for metric in metrics {
            let definition = metric.definition
            writer.string(definition.name)
            writer.string(definition.type.rawValue)
            writer.string(definition.unit)
            writer.string(definition.description)
            writer.integer(UInt64(definition.capacity))
            writer.integer(UInt64(metric.samples.count))
            for sample in metric.samples {
                writer.double(sample.value)
                writer.double(sample.timestamp)
            }
        }
        return writer.bytes
    }

    /// The snapshot in `bytes`.
    /// - Throws: ``BinaryReader/Failure`` naming the part that is cut short or impossible.
    static func decode(_ bytes: [UInt8]) throws(BinaryReader.Failure) -> MetricSnapshot {
        var reader = BinaryReader(bytes)
        guard try reader.string("the format name") == magic else { throw .init(what: "the format name") }
        var snapshot = MetricSnapshot(
            lastSequence: try reader.integer("the sequence"),
            definitionsGeneration: try reader.integer("the definitions generation"), metrics: [])
        let count = try reader.count("the metric count", itemBytes: 48)
        snapshot.metrics.reserveCapacity(count)
        for _ in 0..<count {
            let name = try reader.string("a metric name")
            guard let type = MetricType(rawValue: try reader.string("a metric type")) else {
                throw .init(what: "the type of \(name)")
            }
            let unit = try reader.string("a unit")
            let description = try reader.string("a description")
            let capacity = try reader.integer("a capacity")
            guard capacity >= 1, capacity <= UInt64(MetricDefinition.maximumCapacity) else {
                throw .init(what: "the capacity of \(name)")
            }
            let sampleCount = try reader.count("a sample count", itemBytes: 16)
            var samples: [RecentSample] = []
            samples.reserveCapacity(sampleCount)
            for _ in 0..<sampleCount {
                let value = try reader.double("a value")
                samples.append(RecentSample(value: value, timestamp: try reader.double("a timestamp")))
            }
            let definition = MetricDefinition(
                name: name, type: type, unit: unit, description: description, capacity: Int(capacity))
            snapshot.metrics.append(Metric(definition: definition, samples: samples))
        }
        guard reader.isAtEnd else { throw .init(what: "the end") }
        return snapshot
    }
}
