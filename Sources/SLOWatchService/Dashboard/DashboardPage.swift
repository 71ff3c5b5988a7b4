import SLOWatchHTTP

/// The live dashboard served at `GET /`: one self-contained HTML page (inline CSS and JavaScript, no
/// CDN, no web fonts) compiled into the binary, with the response headers derived from it once.
///
/// The `Content-Security-Policy` allows exactly the page's one inline `<style>` and one inline
/// `<script>`, by their SHA-256 hashes, and lets the script talk only to this origin, so nothing the
/// server or a metric name says can load or run anything else. The hashes and the `ETag` are computed
/// from the embedded bytes, so editing `dashboard.html` can never leave them stale.
struct DashboardPage: Sendable {
    /// The page compiled into the binary (from `Resources/dashboard.html`), prepared on first use.
    static let embedded = DashboardPage(html: PackageResources.dashboard_html)

    /// The media type of the page.
    static let contentType = "text/html; charset=utf-8"

    /// The page's bytes.
    let body: [UInt8]
    /// The strong validator: the first 16 bytes of the page's SHA-256, in hex, quoted.
    let etag: String
    /// The policy: no source but this origin (for `fetch` and `EventSource`), the two inline blocks by
    /// hash, and `data:` images (the favicon).
    let contentSecurityPolicy: String

    /// Prepares `html`: its `ETag` and the hashes of its first `<style>` and `<script>` blocks.
    init(html: [UInt8]) {
        body = html
        let digest = SHA256.digest(html).bytes
        etag = "\"" + digest.prefix(16).map(Self.hex).joined() + "\""
        let style = Self.inlineBlock("style", in: html).map(Self.hashSource) ?? "'none'"
        let script = Self.inlineBlock("script", in: html).map(Self.hashSource) ?? "'none'"
        contentSecurityPolicy =
            "default-src 'none'; script-src \(script); style-src \(style); connect-src 'self'; "
            + "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    /// The fields of a full answer: media type, caching (`no-cache`: the browser may keep the page but
    /// revalidates it with `If-None-Match`, so a new binary's page shows at once), policy and `nosniff`.
    var headers: HTTPHeaders {
        [
            "Content-Type": Self.contentType, "Cache-Control": "no-cache", "ETag": etag,
            "Content-Security-Policy": contentSecurityPolicy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        ]
    }

    /// The fields of a `304 Not Modified`: those a cache needs to refresh its stored copy (RFC 9110, 15.4.5).
    var notModifiedHeaders: HTTPHeaders { ["Cache-Control": "no-cache", "ETag": etag] }

    /// Whether an `If-None-Match` value names this page: `*`, or a list holding its entity tag, weak
    /// (`W/"…"`) or strong, since `If-None-Match` compares weakly (RFC 9110, 13.1.2).
    func isMatched(byIfNoneMatch value: String) -> Bool {
        value.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingSpaces()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            return tag == etag[...]
        }
    }

    /// The bytes between the first `<name>` and the `</name>` after it, exactly as the browser hashes them.
    static func inlineBlock(_ name: String, in html: [UInt8]) -> [UInt8]? {
        let open = Array("<\(name)>".utf8)
        let close = Array("</\(name)>".utf8)
        guard let start = html.firstRange(of: open)?.upperBound,
            let end = html[start...].firstRange(of: close)?.lowerBound
        else { return nil }
        return Array(html[start..<end])
    }

    /// A CSP hash source: `'sha256-<base64 of the digest>'`.
    static func hashSource(_ block: [UInt8]) -> String { "'sha256-\(base64(SHA256.digest(block).bytes))'" }

    /// `bytes` in Base64 with padding (RFC 4648, section 4).
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            var group = 0
            for (offset, byte) in chunk.enumerated() { group |= Int(byte) << (16 - 8 * offset) }
            for index in 0..<4 {
                output.append(
                    index <= chunk.count ? alphabet[(group >> (18 - 6 * index)) & 63] : UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Two lowercase hex digits.
    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (the optional whitespace of a field list).
    fileprivate func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
