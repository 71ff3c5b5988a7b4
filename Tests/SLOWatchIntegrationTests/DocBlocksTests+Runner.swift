import Foundation
import Testing

extension DocBlocksTests {
    /// ``DocPageRunner`` end to end on the real binary: the fixture page under Fixtures/docrun passes, and
    /// broken pages fail with the page, the block's line, the expected and actual output and stderr.
    @Suite("The runnable-block runner")
    struct Runner {
        /// Runs the inline page `lines` (named `fixture.md`) with `runner`.
        static func failures(_ lines: [String], runner: DocPageRunner = DocPageRunner()) throws -> [String] {
            runner.run(try DocBlockParser.parse(lines.joined(separator: "\n"), page: "fixture.md"))
        }

        @Test("the fixture page runs against the binary and prints what it shows", .timeLimit(.minutes(1)))
        func fixturePage() throws {
            let name = "Tests/SLOWatchIntegrationTests/Fixtures/docrun/page.md"
            let page = try DocBlockParser.parse(DocBlocksTests.text(of: name), page: name)
            #expect(page.server == .arguments(["--token", "s3cret", "--capacity", "100"]))
            #expect(page.blocks.count == 3)
            #expect(page.blocks.filter { $0.expectedOutput != nil }.count == 1)
            let failures = DocPageRunner().run(page)
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        }

        @Test("output other than the page shows fails with both, the block's line and its stderr")
        func outputMismatch() throws {
            let failures = try Self.failures([
                "<!-- run-server: none -->", "<!-- run -->", "```sh", "echo hello", "echo 'a warning' >&2",
                "```",
                "<!-- output -->", "```", "goodbye", "```",
            ])
            #expect(failures.count == 1)
            let failure = failures.first ?? ""
            #expect(
                failure.hasPrefix("fixture.md:3: block 1 of 1 ('echo hello'): printed other output"),
                "\(failure)")
            #expect(
                failure.contains("expected line 1 'goodbye' does not match output line 1: 'hello'"),
                "\(failure)")
            #expect(failure.contains("--- standard error:\na warning"), "\(failure)")
        }

        @Test("a failing command stops the page with its status, and later blocks do not run")
        func failingBlock() throws {
            let failures = try Self.failures([
                "<!-- run-server: none -->", "<!-- run -->", "```sh", "echo ok", "```",
                "<!-- run -->", "```sh", "false | cat", "echo not reached", "```",
                "<!-- run -->", "```sh", "echo never", "```",
            ])
            #expect(failures.count == 1)
            let failure = failures.first ?? ""
            #expect(
                failure.hasPrefix("fixture.md:7: block 2 of 3 ('false | cat'): exited with status 1"),
                "\(failure)")
            #expect(!failure.contains("not reached"))
        }

        @Test("a block past its timeout is killed with its whole process tree", .timeLimit(.minutes(1)))
        func timeout() throws {
            // 5 s, not less: bash must print the subshell's pid before the timeout even on a loaded CI machine.
            let runner = DocPageRunner(blockTimeout: 5)
            let failures = try Self.failures(
                [
                    "<!-- run-server: none -->", "<!-- run -->", "```sh", "(sleep 300; echo late) &",
                    "echo \"sleeper $!\"", "sleep 300", "```",
                ], runner: runner)
            let failure = failures.first ?? ""
            #expect(failure.contains("timed out after 5 s"), "\(failure)")
            let line = failure.split(separator: "\n").first { $0.hasPrefix("sleeper ") }
            let pid = try #require(line.flatMap { Int32($0.dropFirst("sleeper ".count)) }, "\(failure)")
            #expect(!TaggedProcesses().isRunning(pid), "the background subshell \(pid) outlived the page")
        }

        @Test("what a page leaves running in the background is killed when the page ends")
        func leftoversKilled() throws {
            let pidFile = try TemporaryFile.create("", prefix: "slowatch-docrun-pid")
            defer { try? FileManager.default.removeItem(atPath: pidFile) }
            let failures = try Self.failures([
                "<!-- run-server: none -->", "<!-- run -->", "```sh", "sleep 300 > /dev/null 2>&1 &",
                "echo $! > '\(pidFile)'", "```",
            ])
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
            let text = try String(contentsOfFile: pidFile, encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), "\(text)")
            #expect(!TaggedProcesses().isRunning(pid), "the background sleep \(pid) outlived the page")
        }

        @Test("blocks share the page's folder, and 8080 is the runner's server")
        func sharedFolderAndPort() throws {
            let failures = try Self.failures([
                "<!-- run -->", "```sh", "echo from-the-first-block > note.txt", "```",
                "<!-- run -->", "```sh", "cat note.txt", "curl -s http://localhost:8080/healthz; echo", "```",
                "<!-- output -->", "```", "from-the-first-block", "…", "```",
            ])
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
            #expect(
                DocPageRunner.rewritten("curl localhost:8080/x 127.0.0.1:8080 --port 8080", port: 9)
                    == "curl localhost:9/x 127.0.0.1:9 --port 9")
        }
    }
}
