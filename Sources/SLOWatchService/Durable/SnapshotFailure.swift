/// A snapshot that could not be written: what it would have saved, to which file, and why.
///
/// ``SLOWatchService/stop()`` returns the shutdown's, so that `slowatch serve` can say what was not saved
/// and exit 75 (`EX_TEMPFAIL`) instead of 0.
package struct SnapshotFailure: Error, Sendable, Equatable {
    /// Why the snapshot was being written: `shutdown` or `interval`.
    package var occasion: String
    /// How many metrics the snapshot held.
    package var metrics: Int
    /// How many samples the snapshot held, over every metric.
    package var samples: Int
    /// The snapshot file's path.
    package var file: String
    /// The storage error: a sentence naming the file written and the system's reason.
    package var cause: String

    /// `The shutdown snapshot was not written: 3 metrics with 1200 samples were not saved to
    /// /data/snapshot. Cannot write /data/snapshot.tmp: No space left on device. The previous snapshot is
    /// kept.`
    package var message: String {
        "The \(occasion) snapshot was not written: \(metrics) metric\(metrics == 1 ? "" : "s") with "
            + "\(samples) sample\(samples == 1 ? "" : "s") \(metrics + samples == 1 ? "was" : "were") "
            + "not saved to \(file). \(cause) The previous snapshot is kept."
    }
}
