import Foundation
import SLOWatchCore

@testable import SLOWatchService

/// A data directory holding a hand-made v2 snapshot, and a service started on it.
enum SnapshotFileFixture {
    /// Writes a snapshot made of `records` (after its header, before a trailer counting one metric of
    /// `trailerSamples` samples) into a new data directory, starts a service on it, and hands back the
    /// registry and the directory (the caller removes it).
    static func restore(_ records: [SnapshotRecord], trailerSamples: UInt64) throws -> (
        MetricsRegistry, directory: String
    ) {
        let directory = DurableNode.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let header = SnapshotRecord.Header(start: 1, sloSequence: 0, lastEventSequence: 0, slos: [])
        var bytes = SnapshotRecord.magic
        for record in [.header(header)] + records + [.trailer(metrics: 1, samples: trailerSamples)] {
            SnapshotRecord.frame(record.encode(), into: &bytes)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + DurableState.snapshotName))
        let service = try TestService.makeService(wallClock: SystemWallClock(), logger: nil) {
            $0.dataDirectory = directory
        }
        return (service.registry, directory)
    }
}
