#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension AccessToken {
    /// Reads the token from `path`: the whole file, less one trailing newline (`\n` or `\r\n`), as
    /// `echo`, `openssl rand -hex 32 > file` and secret stores write it.
    /// - Parameters:
    ///   - path: the file, e.g. a Docker or Kubernetes secret under `/run/secrets/`.
    ///   - source: the setting that named the file, for the message (`--token-file`, `tokenFile`).
    /// - Throws: ``ConfigError`` naming `source` and the path when the file cannot be read, or when what it
    ///   holds is empty or breaks ``rule``. The message never quotes the file's contents.
    public static func load(path: String, source: String) throws(ConfigError) -> AccessToken {
        let bytes: [UInt8]
        do throws(FileProblem) {
            bytes = try contents(path: path)
        } catch {
            throw ConfigError(
                message: "The token file \(MessageText.quoted(path)) of \(source) cannot be read: "
                    + "\(error.reason).")
        }
        // Bytes, not Characters: Swift reads "\r\n" as one Character, which hasSuffix("\n") misses.
        var trimmed = bytes[...]
        if trimmed.last == UInt8(ascii: "\n") {
            trimmed = trimmed.dropLast()
            if trimmed.last == UInt8(ascii: "\r") { trimmed = trimmed.dropLast() }
        }
        guard !trimmed.isEmpty else {
            throw ConfigError(
                message: "The token file \(MessageText.quoted(path)) of \(source) is empty: an empty token "
                    + "would let anyone in. Write the token into it, e.g. `openssl rand -hex 32 > \(path)`.")
        }
        guard let token = AccessToken(String(decoding: trimmed, as: UTF8.self)) else {
            throw ConfigError(
                message: "The token in the file \(MessageText.quoted(path)) of \(source) is not valid: it "
                    + "must be \(rule), with at most one newline after it. (The contents are not shown.)")
        }
        return token
    }

    /// Why a token file could not be read, as a phrase.
    private struct FileProblem: Error {
        var reason: String
    }

    /// The bytes of the file at `path`, at most ``maximumLength`` + 2 (a token and its `\r\n`).
    private static func contents(path: String) throws(FileProblem) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileProblem(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw FileProblem(reason: "it is a directory")
        }
        let limit = maximumLength + 2
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + count }, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileProblem(reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            count += got
        }
        guard count <= limit else {
            throw FileProblem(reason: "it is larger than \(limit) bytes, too large for a token")
        }
        return Array(bytes[..<count])
    }
}
