import Logging
import SLOWatchCore
import SLOWatchPOSIX
import SLOWatchSync

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The violation history on disk: `violations.log`, an append-only file of ``ChecksummedRecord``s, one
/// ``EventRecord`` each, in sequence order.
///
/// The bus appends each event as it is published (one `write`, no fsync: a killed process loses nothing,
/// a power cut may lose the events since the last snapshot, when the log is fsynced). When the file holds
/// more than twice ``retention`` records it is rewritten atomically with the newest ``retention``.
///
/// Every call blocks on the disk, so none runs on an event-loop thread: the bus publishes from the
/// monitor's queue, and from the data directory's lane for the recoveries of an SLO edit; ``sync()``
/// runs with the snapshots on that lane. Writes and fsyncs go through the directory's `FileStorage`.
final class ViolationLog: EventJournal, Sendable {
    /// The file's name in the data directory.
    static let fileName = "violations.log"

    /// The open file and its record count, under ``state``.
    private struct State: Sendable {
        /// The file, opened for appending; -1 after a failure to reopen it.
        var descriptor: Int32
        /// How many records the file holds.
        var records: Int
        /// The file's length in bytes: the end of its last whole record.
        var bytes: Int
        /// Whether the last append failed (so a failing disk logs once, not once per event).
        var failing = false
    }

    /// The folder.
    private let directory: DataDirectory
    /// How many events a compaction keeps: the bus's history size.
    let retention: Int
    /// Where appends report success and failure (``StorageHealth/Writer/eventLog``).
    private let health: StorageHealth
    private let logger: Logger
    private let state: PThreadLock<State>

    /// Opens the log for appending.
    private init(
        directory: DataDirectory, retention: Int, records: Int, bytes: Int, health: StorageHealth,
        logger: Logger
    ) throws(DataDirectoryError) {
        self.directory = directory
        self.retention = max(1, retention)
        self.health = health
        self.logger = logger
        let descriptor = try Self.openForAppending(directory)
        state = PThreadLock(State(descriptor: descriptor, records: records, bytes: bytes))
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Reads the log, repairs it, and opens it for appending.
    ///
    /// The intact records before the first bad one are always kept (see ``ViolationLogReading`` for how
    /// a torn tail is told from damage). A torn last record (a crash mid-append) is cut off with a
    /// warning. Damage (bit rot, a bad edit, junk appended) moves the file aside as
    /// `violations.log.corrupt-<UTC time>` with an error, and the log is rewritten as the intact records.
    /// - Returns: the log, the events it holds (at most `retention`, newest last), and whether events
    ///   were lost (a torn tail or damage was cut off).
    /// - Throws: ``DataDirectoryError`` when the file cannot be read, repaired or opened.
    static func load(directory: DataDirectory, retention: Int, health: StorageHealth, logger: Logger)
        throws(DataDirectoryError) -> (log: ViolationLog, events: [Event], lostEvents: Bool)
    {
        let path = directory.path(of: fileName)
        let bytes = try directory.contents(of: fileName) ?? []
        let reading = ViolationLogReading(bytes)
        let kept = reading.events.count
        switch reading.ending {
        case .whole:
            break
        case .tornTail:
            let message =
                "The violation log \(path) ends with a torn record (\(bytes.count - reading.intactBytes) bytes "
                + "after offset \(reading.intactBytes), from a crash during a write); truncated it to its \(kept) "
                + "whole records."
            logger.warning("\(message)")
            guard truncate(path, off_t(reading.intactBytes)) == 0 else {
                throw DataDirectoryError("Cannot truncate \(path)", errno: errno)
            }
        case .damaged(let what):
            let aside = try directory.moveAside(fileName)
            try directory.replace(fileName, with: Array(bytes[0..<reading.intactBytes]))
            let message =
                "The violation log \(path) is damaged: \(what). Moved it to \(aside) and kept the \(kept) "
                + "records before the damage; resuming clients are told that events were lost."
            logger.error("\(message)")
        }
        let log = try ViolationLog(
            directory: directory, retention: retention, records: kept, bytes: reading.intactBytes,
            health: health, logger: logger)
        if kept > 2 * log.retention { log.state.withLock { log.compact(&$0) } }
        return (log, Array(reading.events.suffix(log.retention)), reading.ending != .whole)
    }

    /// Appends `event` (called by the bus, under its lock, in sequence order).
    func record(_ event: Event) {
        let record = ChecksummedRecord.encode(EventRecord.encode(event))
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            do throws(DataDirectoryError) {
                try directory.writeAll(
                    record, to: state.descriptor, path: directory.path(of: Self.fileName))
                state.records += 1
                state.bytes += record.count
                if state.failing {
                    state.failing = false
                    logger.notice("The violation log is written again, from event #\(event.sequence).")
                }
                health.succeeded(.eventLog)
            } catch {
                health.failed(
                    .eventLog, reason: "\(error.message) Event #\(event.sequence) is kept in memory only.")
                state.failing = true
                // A short write may have left part of a record: cut it, so the next one starts clean.
                _ = ftruncate(state.descriptor, off_t(state.bytes))
                return
            }
            if state.records > 2 * retention { compact(&state) }
        }
    }

    /// Flushes the appended records to disk (at each snapshot and at shutdown).
    func sync() {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            do throws(StorageError) {
                try directory.storage.synchronize(state.descriptor)
            } catch {
                health.failed(
                    .eventLog,
                    reason:
                        "Cannot fsync the violation log \(directory.path(of: Self.fileName)): \(error.reason)."
                )
            }
        }
    }

    /// Rewrites the file atomically with its newest ``retention`` records and reopens it.
    private func compact(_ state: inout State) {
        do throws(DataDirectoryError) {
            let scan = ChecksummedRecord.scan(try directory.contents(of: Self.fileName) ?? [])
            let kept = scan.payloads.suffix(retention)
            let bytes = kept.flatMap { ChecksummedRecord.encode($0) }
            try directory.replace(Self.fileName, with: bytes)
            if state.descriptor >= 0 { close(state.descriptor) }
            state.descriptor = -1
            state.descriptor = try Self.openForAppending(directory)
            state.records = kept.count
            state.bytes = bytes.count
        } catch {
            logger.error("Cannot compact the violation log: \(error.message) It grows until the next try.")
            // The next try comes after another `retention` appends, not on every append.
            state.records = retention
            if state.descriptor < 0 { state.descriptor = (try? Self.openForAppending(directory)) ?? -1 }
        }
    }

    /// Opens (creating, mode 0600) the log for appending.
    private static func openForAppending(_ directory: DataDirectory) throws(DataDirectoryError) -> Int32 {
        let path = directory.path(of: fileName)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DataDirectoryError("Cannot open \(path) for appending", errno: errno)
        }
        return descriptor
    }
}
