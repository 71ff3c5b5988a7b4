extension MetricHistory {
    /// The samples of a span, merged from the slices that cover it.
    package struct Span: Sendable {
        /// The merged histogram (empty when no sample lies in the span).
        package var histogram: ExponentialHistogram
        /// The start actually covered, in ms since the epoch: the asked start rounded down to a slice
        /// boundary of the tier holding it, or the oldest time history keeps when the asked start is
        /// older.
        package var fromMilliseconds: Int64
        /// The end asked for, in ms since the epoch (exclusive).
        package var toMilliseconds: Double
    }

    /// The start of the oldest slice still kept, by the coarsest tier, in ms since the epoch; nil
    /// before the first sample.
    package var oldestKeptMilliseconds: Int64? {
        guard newestMilliseconds.isFinite, let coarsest = tiers.tiers.last else { return nil }
        let newest = coarsest.sliceIndex(containing: newestMilliseconds)
        return coarsest.sliceStart(newest &- Int64(coarsest.sliceCount) &+ 1)
    }

    /// `from` rounded down to a boundary of the finest tier that keeps it (clamped to the oldest kept
    /// time), so that every slice starting at or after it lies wholly inside the span.
    package func alignedStart(_ from: Double) -> Int64 {
        let from =
            from.isNaN
            ? -Self.timeLimitMilliseconds
            : min(max(from, -Self.timeLimitMilliseconds), Self.timeLimitMilliseconds)
        guard let tier = tierKeeping(from) else {
            return oldestKeptMilliseconds
                ?? tiers.finest.sliceStart(tiers.finest.sliceIndex(containing: from))
        }
        let slicing = tiers.tiers[tier]
        return slicing.sliceStart(slicing.sliceIndex(containing: from))
    }

    /// Merges the slices that start in [``alignedStart(_:)`` of `from`, `to`), from every tier and the
    /// open slice. Since each sample is in exactly one slice, the result counts each sample of the span
    /// once. Each tier's part is merged from the widest summaries wholly inside the span
    /// (``TierSummaries``) and single slices only where no summary fits, so a 30-day span at the
    /// default tiers merges a few hundred pieces rather than thousands of slices; the result is the
    /// slice-by-slice merge, bucket for bucket (its sum up to the order of the additions).
    /// - Parameters:
    ///   - from: the start, in ms since the epoch.
    ///   - to: the end (exclusive), in ms since the epoch.
    package func span(from: Double, to: Double) -> Span {
        let start = alignedStart(from)
        var merged = ExponentialHistogram(scale: layout.scale)
        forEachSlice(from: start, to: to) { merged.merge($0) }
        return Span(histogram: merged, fromMilliseconds: start, toMilliseconds: to)
    }

    /// Calls `body` with histograms that together hold every slice (compacted, dense or open) whose
    /// start is in [start, to) exactly once, oldest tier first.
    /// - Parameter usingSummaries: whether a tier's summaries stand in for the slices they merge (the
    ///   default); false calls `body` with every slice on its own (the reference the tests compare to).
    package func forEachSlice(
        from start: Int64, to: Double, usingSummaries: Bool = true, _ body: (ExponentialHistogram) -> Void
    ) {
        for position in levels.indices.reversed() {
            forEachPiece(ofTier: position, from: start, to: to, usingSummaries: usingSummaries, body)
        }
        let finest = tiers.finest
        for (position, index) in dense.indices.enumerated() {
            let sliceStart = finest.sliceStart(index)
            if sliceStart >= start, Double(sliceStart) < to { body(dense.histograms[position]) }
        }
        if !open.isEmpty {
            let openStart = tiers.finest.sliceStart(openIndex)
            if openStart >= start, Double(openStart) < to { body(open) }
        }
    }

    /// One tier's part of ``forEachSlice(from:to:usingSummaries:_:)``. Walks the tier's slices in
    /// order with a cursor (everything of the tier before it is merged); at each slice it takes the
    /// widest summary whose group holds the slice and lies in [cursor, to), else the slice alone.
    private func forEachPiece(
        ofTier position: Int, from start: Int64, to: Double, usingSummaries: Bool,
        _ body: (ExponentialHistogram) -> Void
    ) {
        let tier = tiers.tiers[position]
        let tierSlices = levels[position]
        let tierSummaries = summaries[position]
        var cursor = start
        var index = tierSlices.position(of: Self.ceilingDivide(start, tier.sliceMilliseconds))
        while index < tierSlices.count {
            let sliceStart = tier.sliceStart(tierSlices.indices[index])
            guard Double(sliceStart) < to else { break }
            if usingSummaries, let widest = tierSummaries.widest(covering: sliceStart, from: cursor, to: to) {
                body(widest.summary.histogram)
                cursor = widest.end
                index = tierSlices.position(of: Self.ceilingDivide(widest.end, tier.sliceMilliseconds))
            } else {
                body(tierSlices.histogram(atPosition: index))
                cursor = sliceStart &+ tier.sliceMilliseconds
                index += 1
            }
        }
    }

    /// ⌈a / b⌉ for b > 0.
    static func ceilingDivide(_ a: Int64, _ b: Int64) -> Int64 {
        -floorDivide(-a, b)
    }
}

extension MetricHistory {
    /// Why ``points(range:step:now:)`` refused a request.
    package enum PointsError: Error, Sendable, Equatable {
        /// `step` is not a whole multiple of the slice (ms) of the tier that keeps the range's start.
        case stepNotMultipleOfSlice(sliceMilliseconds: Int64)
        /// The range holds more than ``MetricHistory/maximumPoints`` steps.
        case tooManyPoints(Int)
    }

    /// The most points one request may ask for.
    package static let maximumPoints = 2_000

    /// One histogram per step over the `range` (ms) before `now` (ms since the epoch), oldest first: point
    /// `k` merges the slices starting in [t, t + step) with `t = start + k·step`, where `start` is
    /// `now − range` rounded down to a multiple of `step` since the epoch. Empty steps give an empty
    /// histogram.
    /// - Throws: ``PointsError`` when `step` is not a multiple of the slice of the finest tier keeping
    ///   the range's start, or when more than ``maximumPoints`` points would be needed.
    package func points(
        range: Int64, step: Int64, now: Double
    ) throws(PointsError) -> (start: Int64, histograms: [ExponentialHistogram]) {
        let now = now.isNaN ? 0 : min(max(now, -Self.timeLimitMilliseconds), Self.timeLimitMilliseconds)
        let from = now - Double(range)
        let tier = tierKeeping(from).map { tiers.tiers[$0] } ?? tiers.tiers[tiers.tiers.count - 1]
        guard step > 0, step % tier.sliceMilliseconds == 0 else {
            throw .stepNotMultipleOfSlice(sliceMilliseconds: tier.sliceMilliseconds)
        }
        let start = Self.floorDivide(Int64(from.rounded(.down)), step) &* step
        let count = Int(Self.ceilingDivide(Int64(now.rounded(.down)) &+ 1 &- start, step))
        guard count <= Self.maximumPoints else { throw .tooManyPoints(count) }
        var histograms: [ExponentialHistogram] = []
        histograms.reserveCapacity(count)
        for point in 0..<count {
            let pointStart = start &+ Int64(point) &* step
            var merged = ExponentialHistogram(scale: layout.scale)
            forEachSlice(from: pointStart, to: Double(pointStart &+ step)) { merged.merge($0) }
            histograms.append(merged)
        }
        return (start, histograms)
    }
}
