import Foundation
import TestCurlClient
import Testing

@testable import SLOWatchService

/// `GET /` over a real socket: the embedded page, its caching and security headers, and what stays
/// as it was (404 JSON for unknown paths).
@Suite("Dashboard route")
struct DashboardRoutesTests {
    @Test("GET / answers the embedded HTML page with no-cache, an ETag, a CSP and nosniff")
    func servesThePage() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.get(service.url("/"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-cache")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.body == PackageResources.dashboard_html)
        #expect(response.bodyText.hasPrefix("<!doctype html>"))
        let etag = try #require(response.header("ETag"))
        #expect(
            etag.count == 34 && etag.hasPrefix("\"") && etag.hasSuffix("\""),
            "a quoted 32-digit hex tag: \(etag)")
        let policy = try #require(response.header("Content-Security-Policy"))
        for directive in [
            "default-src 'none'", "connect-src 'self'", "base-uri 'none'", "frame-ancestors 'none'",
        ] {
            #expect(policy.contains(directive), "\(directive) missing from \(policy)")
        }
        #expect(!policy.contains("unsafe-inline"), "inline code is allowed by hash only: \(policy)")
    }

    @Test(
        "the CSP allows exactly the page's inline style and script, by their SHA-256 (checked with Python)",
        .enabled(if: ExternalTool.isInstalled("python3"), ExternalTool.skipReason("python3")))
    func policyHashesMatchTheInlineBlocks() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.get(service.url("/"))
        let folder = try ExternalTool.temporaryFolder("slowatch-dashboard-hash")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("page.html")
        try Data(response.body).write(to: page)
        // An independent SHA-256 and Base64 (Python's hashlib), over the bytes between the tags.
        let script = """
            import base64, hashlib, re, sys
            page = open(sys.argv[1], 'rb').read()
            for tag in (b'style', b'script'):
                blocks = re.findall(b'<' + tag + b'>(.*?)</' + tag + b'>', page, re.S)
                assert len(blocks) == 1, tag
                print(tag.decode(), base64.b64encode(hashlib.sha256(blocks[0]).digest()).decode())
            """
        let run = try SlowatchProcess.run(
            ["-c", script, page.path], executablePath: ExternalTool.path("python3"))
        #expect(run.status == 0, "\(run.standardError)")
        let hashes = Dictionary(
            uniqueKeysWithValues: run.standardOutput.split(separator: "\n").map { line in
                let parts = line.split(separator: " ")
                return (String(parts[0]), String(parts[1]))
            })
        let policy = try #require(response.header("Content-Security-Policy"))
        #expect(policy.contains("style-src 'sha256-\(try #require(hashes["style"]))'"), "\(policy)")
        #expect(policy.contains("script-src 'sha256-\(try #require(hashes["script"]))'"), "\(policy)")
    }

    @Test(
        "If-None-Match with the page's ETag (strong, weak or in a list) gets 304 with no body; another tag 200"
    )
    func revalidatesWithTheETag() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let etag = try #require(try client.get(service.url("/")).header("ETag"))
        for condition in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let response = try client.get(service.url("/"), headers: [("If-None-Match", condition)])
            #expect(response.status == 304, "If-None-Match: \(condition)")
            #expect(response.body.isEmpty)
            #expect(response.header("ETag") == etag)
            #expect(response.header("Cache-Control") == "no-cache")
        }
        let changed = try client.get(service.url("/"), headers: [("If-None-Match", "\"0123\"")])
        #expect(changed.status == 200)
        #expect(changed.body == PackageResources.dashboard_html)
    }

    @Test("HEAD / answers the page's head with no body; POST / is 405 with Allow: GET, HEAD")
    func headAndRefusedMethod() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let head = try client.request(method: "HEAD", url: service.url("/"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Type") == "text/html; charset=utf-8")
        #expect(head.header("Content-Length") == String(PackageResources.dashboard_html.count))
        let post = try client.post(service.url("/"), body: [])
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
    }

    @Test("unknown paths keep their 404 JSON answer; only / itself is the page")
    func unknownPathsStayJSON() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for path in ["/index.html", "/dashboard", "//", "/favicon.ico"] {
            let response = try client.get(service.url(path))
            #expect(response.status == 404, "\(path)")
            #expect(response.header("Content-Type") == "application/json; charset=utf-8", "\(path)")
            #expect(response.errorCode == "not_found", "\(path)")
        }
    }

    @Test("the page loads nothing from another origin: no external script, style, font or image")
    func pageIsSelfContained() throws {
        let page = String(decoding: PackageResources.dashboard_html, as: UTF8.self)
        let external = try Regex(#"(src|href|url\()\s*=?\s*["']?(https?:)?//"#)
        #expect(page.firstMatch(of: external) == nil)
        #expect(!page.contains("@import"))
        #expect(!page.contains("<script src"))
        #expect(!page.contains("innerHTML"), "server strings go into the DOM as text only")
        // One inline block of each kind: the CSP hashes exactly these.
        #expect(page.components(separatedBy: "<style>").count == 2)
        #expect(page.components(separatedBy: "<script>").count == 2)
        #expect(page.components(separatedBy: "<script").count == 2)
    }
}

/// The Base64 behind the dashboard's CSP hashes, against published test vectors (SHA-256 has its own
/// suite, `SHA256Tests`).
@Suite("Dashboard page digests")
struct DashboardDigestTests {
    @Test("Base64 matches RFC 4648's examples, padding included")
    func base64Vectors() {
        let cases = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (text, expected) in cases {
            #expect(DashboardPage.base64(Array(text.utf8)) == expected, "\(text)")
        }
    }

    @Test("a page without inline blocks gets 'none' for script and style rather than a hash of nothing")
    func missingBlocksAreNone() {
        let page = DashboardPage(html: Array("<!doctype html><p>plain</p>".utf8))
        #expect(page.contentSecurityPolicy.contains("script-src 'none'"))
        #expect(page.contentSecurityPolicy.contains("style-src 'none'"))
    }
}
