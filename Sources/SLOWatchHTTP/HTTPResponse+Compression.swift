extension HTTPResponse {
    /// The smallest body (in bytes) ``compressed(for:minimumBytes:)`` compresses by default: below about
    /// 1 KiB the gzip header, trailer and CPU cost more than the bytes saved.
    public static let minimumCompressedBytes = 1024

    /// This response with its body gzip-coded when `request` accepts gzip (``AcceptEncoding``), the
    /// status is 200 and the body is at least `minimumBytes` long and not already coded; otherwise this
    /// response unchanged. Either way a 200 says `Vary: Accept-Encoding` (added to an existing `Vary`
    /// field), so caches keep the codings apart.
    ///
    /// HEAD is answered by the GET handler with the body dropped, so a HEAD's `Content-Length` is the
    /// compressed body's length, as the GET would send. A strong `ETag` is made weak (`W/`) when the body
    /// is coded, since the bytes differ from the identity representation's.
    public func compressed(for request: HTTPRequest, minimumBytes: Int = minimumCompressedBytes)
        -> HTTPResponse
    {
        guard status == 200 else { return self }
        var response = self
        response.addVary("Accept-Encoding")
        guard body.count >= minimumBytes, !headers.contains("Content-Encoding"),
            AcceptEncoding.acceptsGzip(request.headers), let coded = Gzip.deflate(body)
        else { return response }
        response.body = coded
        response.headers.add(name: "Content-Encoding", value: "gzip")
        if let tag = headers["ETag"], !tag.hasPrefix("W/") {
            response.headers.replaceOrAdd(name: "ETag", value: "W/" + tag)
        }
        return response
    }

    /// Adds `token` to the response's `Vary` field (one field, comma-separated), unless it is there.
    mutating func addVary(_ token: String) {
        guard let existing = headers["Vary"] else {
            headers.add(name: "Vary", value: token)
            return
        }
        let listed = existing.split(separator: ",").contains {
            AcceptEncoding.trimmed($0).lowercased() == token.lowercased()
        }
        guard !listed else { return }
        headers.replaceOrAdd(name: "Vary", value: existing + ", " + token)
    }
}
