import Logging
import SLOWatchCore
import SLOWatchPOSIX

/// `sequence` in the data directory: the highest event sequence the bus may hand out, made durable
/// before any id up to it is used, so that no sequence is ever handed out twice, whatever the crash.
///
/// One ``ChecksummedRecord`` whose payload is a format version (1) and the ceiling (8 bytes, little
/// endian), replaced atomically (write, fsync, rename, fsync of the folder) on the durable lane. The bus
/// reserves blocks (``EventBus/Configuration/sequenceBlock``) ahead of need, so a write is one small
/// file per block of events. A failed write is reported to ``StorageHealth`` (`.eventLog`); the bus then
/// refuses events past the old ceiling rather than hand out an id a restart could hand out again.
final class EventSequenceFile: EventSequenceStore, Sendable {
    /// The file's name in the data directory.
    static let fileName = "sequence"
    /// The payload's format version.
    private static let formatVersion: UInt8 = 1

    /// What the file held at start.
    enum Stored: Equatable, Sendable {
        /// No file: a new data directory, or one from a build without it.
        case none
        /// The ceiling of the previous process.
        case ceiling(UInt64)
        /// The file was damaged and set aside: the ceiling is unknown.
        case damaged
    }

    private let directory: DataDirectory
    private let lane: BlockingPool
    private let health: StorageHealth
    /// What the file held at start.
    let stored: Stored

    private init(directory: DataDirectory, lane: BlockingPool, health: StorageHealth, stored: Stored) {
        self.directory = directory
        self.lane = lane
        self.health = health
        self.stored = stored
    }

    /// Reads the file of `durable`'s folder; a damaged one is moved aside with an error line.
    /// - Throws: ``DataDirectoryError`` when the file cannot be read or moved aside.
    static func open(_ durable: DurableState, logger: Logger) throws(DataDirectoryError) -> EventSequenceFile
    {
        let directory = durable.directory
        directory.removeTemporaryFiles([fileName])
        var stored = Stored.none
        if let bytes = try directory.contents(of: fileName) {
            if let ceiling = decode(bytes) {
                stored = .ceiling(ceiling)
            } else {
                let aside = try directory.moveAside(fileName)
                let message =
                    "The event sequence file \(directory.path(of: fileName)) is damaged; moved it to \(aside). "
                    + "Sequences go on well above every id the log and snapshot know of."
                logger.error("\(message)")
                stored = .damaged
            }
        }
        return EventSequenceFile(
            directory: directory, lane: durable.lane, health: durable.health, stored: stored)
    }

    /// The file's bytes for `ceiling`.
    static func encode(_ ceiling: UInt64) -> [UInt8] {
        var payload: [UInt8] = [formatVersion]
        for shift in stride(from: 0, to: 64, by: 8) {
            payload.append(UInt8(truncatingIfNeeded: ceiling >> shift))
        }
        return ChecksummedRecord.encode(payload)
    }

    /// The ceiling in `bytes`, or nil when they are not one whole record of this format.
    static func decode(_ bytes: [UInt8]) -> UInt64? {
        guard let payload = ChecksummedRecord.single(bytes), payload.count == 9, payload[0] == formatVersion
        else { return nil }
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(payload[1 + $1]) << (8 * $1) }
    }

    /// Writes `ceiling` durably, now, on the calling thread (start-up and lane jobs only), reporting to
    /// the storage health. Returns whether it is on disk.
    func write(_ ceiling: UInt64) -> Bool {
        do throws(DataDirectoryError) {
            try directory.replace(Self.fileName, with: Self.encode(ceiling))
            // Events are refused while this fails, so no append would report the recovery.
            health.succeeded(.eventLog)
            return true
        } catch {
            health.failed(
                .eventLog,
                reason: "\(error.message) No event sequence past the previous reservation is handed out.")
            return false
        }
    }

    /// Writes `ceiling` on the durable lane, then calls `completion`; a full lane is a failure.
    func reserve(through ceiling: UInt64, completion: @escaping @Sendable (Bool) -> Void) {
        let queued = lane.submit { [self] in completion(write(ceiling)) }
        if !queued {
            health.failed(
                .eventLog, reason: "The event sequence could not be reserved: the durable lane is full.")
            completion(false)
        }
    }
}
