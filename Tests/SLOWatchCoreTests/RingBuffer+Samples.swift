@testable import SLOWatchCore

extension RingBuffer {
    /// All samples, oldest first. Allocates; for tests only.
    ///
    /// Reads the storage with `copySamples` and rotates it so that the oldest sample (`tail`) comes
    /// first; it does not go through `append(from:ages:)`, which the tests check against it.
    var samples: [(value: Double, timestamp: Double)] {
        var values = [Double](repeating: 0, count: count)
        var timestamps = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { values in
            timestamps.withUnsafeMutableBufferPointer { timestamps in
                guard let values = values.baseAddress, let timestamps = timestamps.baseAddress else { return }
                copySamples(values: values, timestamps: timestamps)
            }
        }
        let storage = zip(values, timestamps).map { (value: $0, timestamp: $1) }
        return Array(storage[tail...] + storage[..<tail])
    }
}
