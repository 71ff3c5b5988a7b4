import Foundation
import Testing

/// Folders that make writes fail for real, for the end-to-end storage tests: a small tmpfs that fills
/// up (`mount -t tmpfs`, which needs root or `CAP_SYS_ADMIN`, as CI has) and an immutable folder
/// (`chattr +i`, which needs root and a file system that supports the flag: ext4, xfs, tmpfs ≥ 6.0).
///
/// Each check tries the real operation once on a scratch folder, so a test that needs it is reported
/// as skipped with ``mountSkipReason`` or ``chattrSkipReason`` on a machine that does not allow it,
/// never silently passed.
enum FolderFaults {
    /// Runs `tool arguments…` and waits; true when it exits 0.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        guard let path = ExternalTool.path(tool) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationReason == .exit && process.terminationStatus == 0
    }

    /// A fresh empty folder under the temporary folder; the caller removes it.
    static func scratchFolder() -> String? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "slowatch-fault-\(UUID().uuidString)"
        ).path
        return (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false))
            .map { path }
    }

    /// Mounts a tmpfs of `kibibytes` KiB on a fresh folder.
    /// - Returns: the mount point (unmount it with ``unmount(_:)``), or nil when mounting is not permitted.
    static func mountTmpfs(kibibytes: Int) -> String? {
        guard let folder = scratchFolder() else { return nil }
        guard run("mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0700", "tmpfs", folder]) else {
            try? FileManager.default.removeItem(atPath: folder)
            return nil
        }
        return folder
    }

    /// Unmounts the tmpfs at `folder` and removes the folder.
    static func unmount(_ folder: String) {
        run("umount", [folder])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Whether this process may mount a tmpfs (tried once).
    static let canMountTmpfs: Bool = {
        guard let folder = mountTmpfs(kibibytes: 64) else { return false }
        unmount(folder)
        return true
    }()

    /// Whether `chattr +i` makes a folder here refuse new files (tried once).
    static let canMakeImmutable: Bool = {
        guard let folder = scratchFolder() else { return false }
        defer {
            run("chattr", ["-i", folder])
            try? FileManager.default.removeItem(atPath: folder)
        }
        guard run("chattr", ["+i", folder]) else { return false }
        return !FileManager.default.createFile(atPath: folder + "/x", contents: Data())
    }()

    /// Why a tmpfs test is skipped.
    static let mountSkipReason = Comment(
        rawValue: "mounting a tmpfs is not permitted here (it needs root or CAP_SYS_ADMIN, as CI has)")

    /// Why a `chattr +i` test is skipped.
    static let chattrSkipReason = Comment(
        rawValue: "chattr +i is not available or not supported by this file system (it needs root)")
}
