import SLOWatchCore

/// A samples journal record's payload, written straight from a decoded ``SampleBatch`` and applied
/// straight from its bytes: the live `POST /samples` and StatsD paths build no ``GroupedSamples`` and no
/// intermediate sample arrays, so each sample is copied once, from the batch into the payload.
///
/// The bytes are exactly those of `JournalRecord.samples(grouped).encode()` for the same batch grouped
/// by ``SampleRecorder/withGrouped(_:arrivalMilliseconds:_:)`` (kind byte 1, the metric count, then per
/// metric its name, its sample count and its samples as 16-byte bit patterns, all little-endian), so
/// replay reads them with ``JournalRecord/decode(_:)`` as before and older journals need no change.
enum SamplesPayload {
    /// The payload of `batch`'s samples, metric by metric in first-seen order, each metric's samples in
    /// body order, untimed ones stamped `arrivalMilliseconds` (ms since the epoch). A metric is left out
    /// when `includes` says so or when it has no sample.
    /// - Returns: the payload, and the indices (into `batch.metrics`) of the metrics it holds, in order,
    ///   or nil when it holds every metric of the batch (the common case; no array is built then).
    static func encode(
        _ batch: SampleBatch, arrivalMilliseconds: Double, includes: (Int) -> Bool = { _ in true }
    ) -> (payload: [UInt8], kept: [Int]?) {
        let metrics = batch.metrics.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, metrics)) { cursor in
            // cursor[m]: first the sample count of metric m (-1 when left out), then where its next
            // sample goes in the payload.
            cursor.initialize(repeating: 0)
            for sample in batch.samples { cursor[sample.metric] += 1 }
            var bytes = 9
            var keptCount = 0
            for metric in 0..<metrics {
                if cursor[metric] == 0 || !includes(metric) {
                    cursor[metric] = -1
                    continue
                }
                keptCount += 1
                bytes += 16 + batch.metrics[metric].utf8.count + 16 * cursor[metric]
            }
            var kept: [Int]?
            if keptCount < metrics { kept = (0..<metrics).filter { cursor[$0] >= 0 } }
            let payload = [UInt8](unsafeUninitializedCapacity: bytes) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.storeBytes(of: 1, as: UInt8.self)
                raw.storeBytes(of: UInt64(keptCount).littleEndian, toByteOffset: 1, as: UInt64.self)
                var offset = 9
                for metric in 0..<metrics where cursor[metric] >= 0 {
                    var name = batch.metrics[metric]
                    name.withUTF8 { utf8 in
                        raw.storeBytes(
                            of: UInt64(utf8.count).littleEndian, toByteOffset: offset, as: UInt64.self)
                        UnsafeMutableRawBufferPointer(rebasing: raw[(offset + 8)...]).copyMemory(
                            from: UnsafeRawBufferPointer(utf8))
                        offset += 8 + utf8.count
                    }
                    let count = cursor[metric]
                    raw.storeBytes(of: UInt64(count).littleEndian, toByteOffset: offset, as: UInt64.self)
                    offset += 8
                    cursor[metric] = offset
                    offset += 16 * count
                }
                for sample in batch.samples where cursor[sample.metric] >= 0 {
                    let at = cursor[sample.metric]
                    let timestamp = sample.timestamp ?? arrivalMilliseconds
                    raw.storeBytes(
                        of: sample.value.bitPattern.littleEndian, toByteOffset: at, as: UInt64.self)
                    raw.storeBytes(
                        of: timestamp.bitPattern.littleEndian, toByteOffset: at + 8, as: UInt64.self)
                    cursor[sample.metric] = at + 16
                }
                initialized = bytes
            }
            return (payload, kept)
        }
    }

    /// Applies `payload` (written by ``encode(_:arrivalMilliseconds:includes:)``) as journal record
    /// `sequence`: metric `i`'s run goes through `handles[i]` under one acquisition of its lock or, when
    /// a DELETE unregistered the metric since, through a fresh handle, registering it anew as samples
    /// arriving after the DELETE would. Runs on the journal's writer thread, in LSN order.
    ///
    /// The payload was built in memory by ``encode(_:arrivalMilliseconds:includes:)``, never read from a
    /// disk, so its layout is trusted; a payload that does not match `handles` applies nothing further.
    /// - Returns: how many samples were recorded, and the first refusal (a full registry), if any.
    static func apply(
        _ payload: [UInt8], handles: [MetricHandle], into registry: MetricsRegistry, sequence: UInt64
    ) -> (recorded: Int, refusal: MetricsError?) {
        var recorded = 0
        var refusal: MetricsError?
        payload.withUnsafeBytes { raw in
            guard raw.count >= 9, raw[0] == 1 else { return }
            let metrics = Int(
                truncatingIfNeeded: UInt64(
                    littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
            guard metrics == handles.count else { return }
            var offset = 9
            for handle in handles {
                guard raw.count - offset >= 8 else { return }
                let nameBytes = Int(
                    truncatingIfNeeded: UInt64(
                        littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                guard nameBytes >= 0, nameBytes <= raw.count - offset - 16 else { return }
                offset += 8 + nameBytes
                let count = Int(
                    truncatingIfNeeded: UInt64(
                        littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
                guard count >= 0, count <= (raw.count - offset) / 16 else { return }
                let source = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 16 * count)])
                offset += 16 * count
                // The run is not 8-byte aligned in the payload (names have any length): copy it out.
                withUnsafeTemporaryAllocation(of: RecentSample.self, capacity: max(1, count)) { run in
                    copy(source, into: run, count: count)
                    let samples = UnsafeBufferPointer(rebasing: run[0..<count])
                    do throws(MetricsError) {
                        do throws(MetricsError) {
                            try registry.record(handle, samples: samples, sequence: sequence)
                        } catch  where error.kind == .unknownMetric {
                            try registry.record(
                                registry.handle(for: handle.name), samples: samples, sequence: sequence)
                        }
                        recorded += count
                    } catch {
                        if refusal == nil { refusal = error }
                    }
                }
            }
        }
        return (recorded, refusal)
    }

    /// Fills `run` with the `count` samples whose 16-byte little-endian bit patterns are `source`.
    private static func copy(
        _ source: UnsafeRawBufferPointer, into run: UnsafeMutableBufferPointer<RecentSample>, count: Int
    ) {
        #if _endian(little)
            if MemoryLayout<RecentSample>.stride == 16 {
                UnsafeMutableRawBufferPointer(run).copyMemory(from: source)
                return
            }
        #endif
        for index in 0..<count {
            let value = UInt64(
                littleEndian: source.loadUnaligned(fromByteOffset: 16 * index, as: UInt64.self))
            let time = UInt64(
                littleEndian: source.loadUnaligned(fromByteOffset: 16 * index + 8, as: UInt64.self))
            run[index] = RecentSample(value: Double(bitPattern: value), timestamp: Double(bitPattern: time))
        }
    }
}
