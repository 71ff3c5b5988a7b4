extension MetricHistory {
    /// Counts finite samples (times in ms since the epoch) in order, exactly as ``record(_:at:)``
    /// would one by one (the same ``late`` and ``future`` counts, the same slices), with the checks
    /// done once per run rather than per sample:
    /// - a sample in the open slice, within the future limit, is counted there at once;
    /// - a run of late samples into one recently closed slice (the samples of the slice before the
    ///   current one, as a buffering client sends them) finds that slice's delta once and then
    ///   increments it, with no lookup, future or late check per sample;
    /// - anything else (a new slice, an older slice, out of range) goes through ``record(_:at:)``.
    ///
    /// A run of samples that the open slice takes (in it and within the future limit of the newest
    /// time, which grows along the run) is found first and then counted by
    /// ``ExponentialHistogram/record(valuesOf:layout:)`` in one call.
    package mutating func record(_ samples: UnsafeBufferPointer<RecentSample>) {
        // The delta the last late sample went into: valid until a sample takes the general path
        // (which may open a slice, merge deltas or add one). Int64.min: none (no slice has it).
        var deltaIndex = Int64.min
        var deltaPosition = 0
        var next = 0
        while next < samples.count {
            let sample = samples[next]
            next &+= 1
            let time = sample.timestamp
            if time > -Self.timeLimitMilliseconds, time < Self.timeLimitMilliseconds {
                let index = Int64((time / finestSliceMilliseconds).rounded(.down))
                if index == openIndex, time <= newestMilliseconds + futureLimitMilliseconds {
                    let start = next &- 1
                    if time > newestMilliseconds { newestMilliseconds = time }
                    next = openRunEnd(samples, from: next)
                    // A run of one (a single-sample post) is cheaper counted alone.
                    if next &- start == 1 {
                        open.record(sample.value, layout: layout)
                    } else {
                        open.record(
                            valuesOf: UnsafeBufferPointer(rebasing: samples[start..<next]), layout: layout)
                    }
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

    /// The end of the run of samples from `start` on that the open slice takes, one by one as
    /// ``record(_:at:)`` would (in the open slice, within the future limit of the newest time),
    /// raising ``newestMilliseconds`` along the run as those samples would; their values are not
    /// counted here.
    /// - Returns: the position of the first sample that the open slice does not take, or
    ///   `samples.count`.
    ///
    /// The slice is compared as a `Double`, with no conversion to `Int64`: within ±2^52 ms the floor
    /// of `time / finestSliceMilliseconds` is an integer of magnitude at most 2^52, which both types
    /// hold exactly, and so is ``openIndex`` whenever a sample could match it.
    @inline(__always)
    private mutating func openRunEnd(_ samples: UnsafeBufferPointer<RecentSample>, from start: Int) -> Int {
        var newest = newestMilliseconds
        let open = Double(openIndex)
        var next = start
        while next < samples.count {
            let time = samples[next].timestamp
            guard time > -Self.timeLimitMilliseconds, time < Self.timeLimitMilliseconds,
                (time / finestSliceMilliseconds).rounded(.down) == open,
                time <= newest + futureLimitMilliseconds
            else { break }
            if time > newest { newest = time }
            next &+= 1
        }
        newestMilliseconds = newest
        return next
    }
}
