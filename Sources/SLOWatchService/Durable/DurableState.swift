import Dispatch
import Logging
import SLOWatchCore
import SLOWatchPOSIX
import SLOWatchSync

/// What `--data-dir` keeps, and what was found there at start.
///
/// - `journal-<first LSN>` (``Journal``): every acknowledged change (samples, metric and SLO edits), in
///   LSN order, written before the change is applied and answered.
/// - `snapshot` (v2, ``SnapshotRecord``): the SLOs, every metric and its ring, and the event sequence,
///   streamed every snapshot interval; the journal segments before it are then deleted.
/// - `violations.log` (``ViolationLog``): every event, appended as it is published.
/// - `definitions.json` (``DefinitionsFile``) and a v1 `snapshot` (``MetricSnapshot``): the files of
///   the format before the journal, read once at start and replaced by the first v2 snapshot.
///
/// A damaged definitions file or snapshot is moved aside (`NAME.corrupt-<UTC time>`) with an error line,
/// and the service starts without it rather than refusing to start.
final class DurableState: Sendable {
    /// What the data directory held at start.
    struct Recovered: Sendable {
        /// The stored definitions, or nil when there were none (or they were damaged).
        var definitions: DefinitionsFile?
        /// The stored v1 snapshot (the format before the journal), or nil when there was none (or it
        /// was damaged, or is a v2 one).
        var snapshot: MetricSnapshot?
        /// The header of the stored v2 snapshot, whose metrics the service streams in at start; nil
        /// when there is none (or its header is damaged).
        var snapshotHeader: SnapshotRecord.Header?
        /// The logged events, oldest first (at most the history size).
        var events: [Event]
        /// Whether the violation log was torn or damaged, so that events after ``events`` were lost.
        var eventsLost = false
    }

    /// The snapshot file's name.
    static let snapshotName = "snapshot"

    /// The folder.
    let directory: DataDirectory
    /// The violation log, which the bus appends to.
    let log: ViolationLog
    /// What was found at start.
    let recovered: Recovered
    /// How many snapshots were written; its lock makes the timer's and the shutdown's writes take turns.
    let snapshotWrites = PThreadLock<UInt64>(0)
    /// Set by a shutdown that writes no snapshot: a snapshot being written stops at its next record and
    /// is abandoned (the previous one and the journal still hold everything), so it cannot delay the exit.
    let snapshotsCancelled = PThreadLock(false)
    /// The LSN of the newest SLO change applied (0 for none); set on the journal's writer thread.
    let sloSequence = PThreadLock<UInt64>(0)
    /// The current ``DefinitionsFile/generation``; changed only with the service's `sloEdits` lock held.
    private let generationLock: PThreadLock<UInt64>
    /// Bumped by every start and stop of the snapshot timer, so a tick of an older loop does nothing.
    let timerGeneration = PThreadLock<UInt64>(0)
    /// The serial queue the snapshot timer ticks on; it only hands the write to ``lane``.
    let timerQueue = DispatchQueue(label: "slowatch.snapshots")
    /// The durable lane: one pool thread on which every write of the folder runs (definition edits,
    /// snapshots), in the order submitted, so a second edit never overtakes the first on disk and no
    /// event-loop thread waits for an fsync.
    let lane: BlockingPool
    /// Whether each kind of write of the folder currently succeeds; `/healthz` reports it.
    let health: StorageHealth
    let logger: Logger

    /// Opens (creating it if needed) the data directory and reads what it holds.
    /// - Parameters:
    ///   - path: the folder.
    ///   - historyCapacity: how many events the log keeps after a compaction.
    ///   - defaultCapacity: the capacity of a stored metric that gives none, in samples.
    ///   - storage: the file-system calls of the folder's replacements.
    ///   - logger: where recoveries are reported.
    /// - Throws: ``DataDirectoryError`` naming the path when the folder cannot be created, written or
    ///   locked, or a damaged file cannot be moved aside.
    init(
        path: String, historyCapacity: Int, defaultCapacity: Int,
        storage: any FileStorage = POSIXFileStorage(),
        logger: Logger
    ) throws(DataDirectoryError) {
        let directory = try DataDirectory(path: path, storage: storage)
        self.directory = directory
        self.logger = logger
        health = StorageHealth(logger: logger)
        if !directory.isOwnerOnly {
            logger.warning(
                "The data directory \(path) may be read by other users (its mode allows group or others); chmod 700 it."
            )
        }
        directory.removeTemporaryFiles([DefinitionsFile.fileName, Self.snapshotName, ViolationLog.fileName])
        let definitions = try Self.loadDefinitions(
            directory, defaultCapacity: defaultCapacity, logger: logger)
        let snapshotHeader = try Self.loadSnapshotHeader(directory, logger: logger)
        let snapshot = snapshotHeader == nil ? try Self.loadSnapshot(directory, logger: logger) : nil
        let (log, events, eventsLost) = try ViolationLog.load(
            directory: directory, retention: historyCapacity, health: health, logger: logger)
        self.log = log
        recovered = Recovered(
            definitions: definitions, snapshot: snapshot, snapshotHeader: snapshotHeader, events: events,
            eventsLost: eventsLost)
        generationLock = PThreadLock(definitions?.generation ?? 0)
        // Started last, so that a failure above leaves no thread behind.
        guard let lane = BlockingPool(threadCount: 1, queueCapacity: Self.laneCapacity) else {
            throw DataDirectoryError(message: "Cannot start the writer thread of the data directory \(path).")
        }
        self.lane = lane
    }

    /// The most writes that may wait on the lane; an edit beyond it is refused with 503.
    static let laneCapacity = 1_024

    deinit { lane.shutdown() }

    /// The generation of the definitions file on disk (0 before the first write).
    var generation: UInt64 { generationLock.withLock { $0 } }

    /// Replaces the snapshot file with a v1 `snapshot` (the format before the journal), as an older
    /// build wrote it; the service writes v2 snapshots, so this serves tests of upgrades and recovery.
    /// - Throws: ``DataDirectoryError``; the previous snapshot is then untouched.
    func saveSnapshot(_ snapshot: MetricSnapshot) throws(DataDirectoryError) {
        try directory.replace(Self.snapshotName, with: ChecksummedRecord.encode(snapshot.encode()))
    }

    /// The stored definitions; a damaged file is moved aside and nil returned.
    private static func loadDefinitions(_ directory: DataDirectory, defaultCapacity: Int, logger: Logger)
        throws(DataDirectoryError) -> DefinitionsFile?
    {
        guard let bytes = try directory.contents(of: DefinitionsFile.fileName) else { return nil }
        do {
            return try DefinitionsFile.decode(bytes, defaultCapacity: defaultCapacity)
        } catch {
            let aside = try directory.moveAside(DefinitionsFile.fileName)
            let message =
                "The definitions file \(directory.path(of: DefinitionsFile.fileName)) is damaged (\(error.message)); "
                + "moved it to \(aside) and started with the SLOs and metrics of the configuration."
            logger.error("\(message)")
            return nil
        }
    }

    /// The header of the stored v2 snapshot, or nil when `snapshot` is absent or a v1 one; a v2 snapshot
    /// whose header is damaged is moved aside and nil returned.
    private static func loadSnapshotHeader(_ directory: DataDirectory, logger: Logger)
        throws(DataDirectoryError)
        -> SnapshotRecord.Header?
    {
        let path = directory.path(of: snapshotName)
        guard let reader = try FileReader(path: path, bufferBytes: 1 << 16),
            try reader.read(SnapshotRecord.magic.count) == SnapshotRecord.magic
        else { return nil }
        let problem: String
        do {
            if case .header(let header)? = try SnapshotRecord.next(reader) { return header }
            problem = "it does not start with its header"
        } catch let failure as BinaryReader.Failure {
            problem = "\(failure.what) cannot be read"
        } catch {
            problem = "\(error)"
        }
        let aside = try directory.moveAside(snapshotName)
        logger.error(
            "The snapshot \(path) is damaged (\(problem)); moved it to \(aside) and started from the journal alone."
        )
        return nil
    }

    /// The stored v1 snapshot; a damaged one is moved aside and nil returned.
    private static func loadSnapshot(_ directory: DataDirectory, logger: Logger) throws(DataDirectoryError)
        -> MetricSnapshot?
    {
        guard let bytes = try directory.contents(of: snapshotName) else { return nil }
        let problem: String
        if let payload = ChecksummedRecord.single(bytes) {
            do {
                return try MetricSnapshot.decode(payload)
            } catch {
                problem = "\(error.what) cannot be read"
            }
        } else {
            problem = "its length or checksum is wrong"
        }
        let aside = try directory.moveAside(snapshotName)
        let message =
            "The snapshot \(directory.path(of: snapshotName)) is damaged (\(problem)); moved it to \(aside) and "
            + "started with no samples."
        logger.error("\(message)")
        return nil
    }
}
