extension BucketCountCoding {
    /// The running prediction of ``BucketCountCoding``, the same on both sides: it reads only counts
    /// before the one predicted. All arithmetic wraps on 64 bits, so any counts (even sums past 2^64)
    /// give the same prediction to the encoder and the decoder.
    struct Predictor {
        /// The sum of the last (up to) ``BucketCountCoding/window`` counts, wrapping.
        var recentSum: UInt64 = 0

        /// The prediction of the count at `position`, from the counts before it in `previous`.
        @inline(__always)
        func prediction(position: Int, previous: UnsafeBufferPointer<UInt64>) -> UInt64 {
            guard position >= window else {
                guard position > 0 else { return 0 }
                return (recentSum &+ UInt64(position / 2)) / UInt64(position)
            }
            let mean = (recentSum &+ UInt64(window / 2)) / UInt64(window)
            guard mean >= slopeFrom else { return mean }
            // The mean plus 9/64 of (newer half − older half), in 1/256ths, rounded, floored at 0:
            // (32 · sum + 36 · (newer − older) + 128) / 256.
            var older: UInt64 = 0
            for offset in window / 2 + 1...window { older &+= previous[position - offset] }
            let newer = recentSum &- older
            let scaled =
                32 &* Int64(bitPattern: recentSum) &+ 36 &* Int64(bitPattern: newer &- older) &+ 128
            return scaled < 0 ? 0 : UInt64(scaled >> 8)
        }

        /// The value coded for `count` at `position`.
        @inline(__always)
        func value(of count: UInt64, at position: Int, previous: UnsafeBufferPointer<UInt64>) -> UInt64 {
            let prediction = prediction(position: position, previous: previous)
            return prediction < directBelow
                ? count : RiceCoding.zigzag(Int64(bitPattern: count &- prediction))
        }

        /// The count a coded `value` at `position` stands for (the inverse of
        /// ``value(of:at:previous:)``).
        @inline(__always)
        func count(of value: UInt64, at position: Int, previous: UnsafeBufferPointer<UInt64>) -> UInt64 {
            let prediction = prediction(position: position, previous: previous)
            // Branch-free: the two cases interleave unpredictably in the tails.
            let difference = prediction &+ UInt64(bitPattern: RiceCoding.unzigzag(value))
            return prediction < directBelow ? value : difference
        }

        /// Moves the window one count on.
        @inline(__always)
        mutating func slide(adding count: UInt64, removing old: UInt64) {
            recentSum = recentSum &+ count &- old
        }
    }
}
