/// The coding of one sign's bucket counts in a ``CompactHistogram`` (slice coding version 2):
/// lossless for every ``BucketCounts``, a few bits per bucket for latency-like data.
///
/// Layout: the length (universal code, 0 for none); when not 0, the zigzagged first index (universal
/// code), then the counts in blocks of ``blockLength``. Each count `x` is turned into a value against
/// a prediction `p` (``Predictor``), from the (up to) ``window`` counts before it:
/// - `p` is their rounded mean; where that mean is at least ``slopeFrom`` and the window is full, `p`
///   follows their slope too (the mean plus 9/64 of the difference between the sums of the newer and
///   the older half), which halves the bias of a plain mean on the flanks of a busy slice;
/// - where `p` < ``directBelow`` (tails, sparse slices) the value is `x` itself, since counts there
///   are small and never negative;
/// - elsewhere it is the zigzagged difference `x − p` (wrapping on 64 bits, so any count round-trips).
///
/// Each block starts with its mode, as a zigzagged change from the previous block's in unary: a Rice
/// parameter `k` (0 ... 64; the one that codes the block's values in the fewest bits, FLAC's
/// partitions), or −1 for *runs*, then the values:
/// - Rice mode: each value Rice-coded with `k`;
/// - run mode (sparse tails, where most values are 0 and a Rice code spends a bit on each): a 2-bit
///   run parameter `r`, then for each non-zero value the run of zeros before it (Rice, `r`) and the
///   value minus 1 (Rice, 0), and the trailing zeros' run when the block ends in zeros.
/// The encoder picks whichever mode codes the block in fewer bits.
enum BucketCountCoding {
    /// How many preceding counts the prediction averages.
    static let window = 8
    /// Predictions below this code the count itself rather than its difference.
    static let directBelow: UInt64 = 3
    /// Means from here on are corrected by the window's slope.
    static let slopeFrom: UInt64 = 32
    /// Buckets per block (one mode each).
    static let blockLength = 32
    /// The mode of a block coded in runs.
    static let runMode = -1

    /// Appends `buckets` to `writer`.
    static func encode(_ buckets: BucketCounts, into writer: inout BitWriter) {
        writer.writeUniversal(UInt64(buckets.counts.count))
        guard !buckets.isEmpty else { return }
        writer.writeUniversal(RiceCoding.zigzag(Int64(buckets.offset)))
        let values = buckets.counts.withUnsafeBufferPointer { counts in
            var predictor = Predictor()
            return counts.indices.map { position in
                let value = predictor.value(of: counts[position], at: position, previous: counts)
                predictor.slide(
                    adding: counts[position], removing: position >= window ? counts[position - window] : 0)
                return value
            }
        }
        var previousMode = 0
        for start in stride(from: 0, to: values.count, by: blockLength) {
            let block = values[start..<min(start + blockLength, values.count)]
            let rice = RiceCoding.best(block)
            let k = rice.parameter
            let runs = bestRunParameter(block)
            let mode = runs.bits + 2 < rice.bits ? runMode : k
            writer.writeRice(RiceCoding.zigzag(Int64(mode - previousMode)), k: 0)
            previousMode = mode
            if mode == runMode {
                writer.write(UInt64(runs.parameter), width: 2)
                writeRuns(block, parameter: runs.parameter, into: &writer)
            } else {
                for value in block { writer.writeRice(value, k: k) }
            }
        }
    }

    /// Reads counts written by ``encode(_:into:)``.
    /// - Parameter maximumLength: the most counts accepted; a longer length (only a damaged stream has
    ///   one) reads as no counts, before anything is allocated.
    static func decode(from reader: inout BitReader, maximumLength: Int = Int(Int32.max)) -> BucketCounts {
        let length = reader.readUniversal()
        guard length > 0, length <= UInt64(maximumLength) else {
            return BucketCounts()
        }
        let offset = Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readUniversal()))
        let counts = [UInt64](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
            var predictor = Predictor()
            var mode = 0
            var start = 0
            while start < Int(length) {
                // A damaged stream may ask for any mode; −1 ... 64 are the ones a writer uses.
                mode = min(
                    max(mode + Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readRice(k: 0))), -1), 64)
                let end = min(start + blockLength, Int(length))
                var runs = RunReader(parameter: mode == runMode ? Int(reader.read(width: 2)) : 0)
                for position in start..<end {
                    let value =
                        mode == runMode
                        ? runs.next(&reader, remaining: end - position) : reader.readRice(k: mode)
                    let count = predictor.count(
                        of: value, at: position, previous: UnsafeBufferPointer(buffer))
                    buffer[position] = count
                    predictor.slide(
                        adding: count, removing: position >= window ? buffer[position - window] : 0)
                }
                start = end
            }
            initialized = Int(length)
        }
        return BucketCounts(offset: offset, counts: counts)
    }
}

extension BucketCountCoding {
    /// The run parameter (0 ... 3) that codes `block` in runs in the fewest bits, and those bits.
    /// The lowest parameter on a tie; the cost of each parameter, in one pass (the tests hold it to
    /// a one-parameter-at-a-time reference).
    static func bestRunParameter(_ block: ArraySlice<UInt64>) -> (parameter: Int, bits: Int) {
        var costs = (0, 0, 0, 0)
        func addRun(_ run: UInt64) {
            costs.0 += RiceCoding.bits(run, k: 0)
            costs.1 += RiceCoding.bits(run, k: 1)
            costs.2 += RiceCoding.bits(run, k: 2)
            costs.3 += RiceCoding.bits(run, k: 3)
        }
        var valueBits = 0
        var run: UInt64 = 0
        for value in block {
            if value == 0 {
                run += 1
                continue
            }
            addRun(run)
            valueBits += RiceCoding.bits(value - 1, k: 0)
            run = 0
        }
        if run > 0 { addRun(run) }
        var chosen = (parameter: 0, bits: costs.0)
        if costs.1 < chosen.bits { chosen = (1, costs.1) }
        if costs.2 < chosen.bits { chosen = (2, costs.2) }
        if costs.3 < chosen.bits { chosen = (3, costs.3) }
        return (chosen.parameter, chosen.bits + valueBits)
    }

    /// Writes `block` in run mode.
    static func writeRuns(_ block: ArraySlice<UInt64>, parameter: Int, into writer: inout BitWriter) {
        var run: UInt64 = 0
        for value in block {
            if value == 0 {
                run += 1
                continue
            }
            writer.writeRice(run, k: parameter)
            writer.writeRice(value - 1, k: 0)
            run = 0
        }
        if run > 0 { writer.writeRice(run, k: parameter) }
    }

    /// Reads a run-mode block value by value.
    struct RunReader {
        /// The run parameter.
        let parameter: Int
        /// Zeros still to hand out before the next non-zero value (nil: read the next run first).
        var zerosLeft: UInt64?

        init(parameter: Int) { self.parameter = parameter }

        /// The next value of the block, `remaining` values (≥ 1) before its end.
        mutating func next(_ reader: inout BitReader, remaining: Int) -> UInt64 {
            if zerosLeft == nil {
                // A damaged run longer than the block reads as zeros to its end.
                zerosLeft = min(reader.readRice(k: parameter), UInt64(remaining))
            }
            if let zeros = zerosLeft, zeros > 0 {
                zerosLeft = zeros - 1
                return 0
            }
            zerosLeft = nil
            return reader.readRice(k: 0) &+ 1
        }
    }
}
