extension MetricHistory {
    /// Counts finite samples (times in ms since the epoch) in order, exactly as ``record(_:at:)``
    /// would one by one (the same ``late`` and ``future`` counts, the same slices), with the checks
    /// done once per run rather than per sample:
    /// - a sample in the open slice, within the future limit, is counted there at once;
    /// - a run of late samples into one recently closed slice (the samples of the slice before the
    ///   current one, as a buffering client sends them) finds that slice's delta once and then
    ///   increments it, with no lookup, future or late check per sample;
    /// - anything else (a new slice, an older slice, out of range) goes through ``record(_:at:)``.
    package mutating func record(_ samples: UnsafeBufferPointer<RecentSample>) {
        // The delta the last late sample went into: valid until a sample takes the general path
        // (which may open a slice, merge deltas or add one). Int64.min: none (no slice has it).
        var deltaIndex = Int64.min
        var deltaPosition = 0
        for sample in samples {
            let time = sample.timestamp
            if time > -Self.timeLimitMilliseconds, time < Self.timeLimitMilliseconds {
                let index = Int64((time / finestSliceMilliseconds).rounded(.down))
                if index == openIndex, time <= newestMilliseconds + futureLimitMilliseconds {
                    open.record(sample.value, layout: layout)
                    if time > newestMilliseconds { newestMilliseconds = time }
                    continue
                }
                if index == deltaIndex {
                    dense.record(sample.value, atPosition: deltaPosition, layout: layout)
                    continue
                }
                // Below the open slice and above compactedThrough: the finest tier keeps it, in a
                // delta (as in recordOutsideOpenSlice).
                if index < openIndex, index > compactedThrough {
                    deltaPosition = dense.record(sample.value, at: index, layout: layout)
                    deltaIndex = index
                    continue
                }
            }
            deltaIndex = Int64.min
            record(sample.value, at: time)
        }
    }
}
