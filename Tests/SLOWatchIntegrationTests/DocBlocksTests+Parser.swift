import Testing

extension DocBlocksTests {
    /// ``DocBlockParser`` on inline pages: what it finds, and every malformed marker it refuses.
    @Suite("The runnable-block parser")
    struct Parser {
        /// Parses `lines` as the page `fixture.md`.
        static func parse(_ lines: [String]) throws(DocBlockError) -> DocBlockPage {
            try DocBlockParser.parse(lines.joined(separator: "\n"), page: "fixture.md")
        }

        /// The error `lines` raise, or nil when they parse.
        static func error(_ lines: [String]) -> DocBlockError? {
            do {
                _ = try parse(lines)
                return nil
            } catch {
                return error
            }
        }

        @Test("run blocks in page order, with their output, line and indentation removed")
        func blocksAndOutput() throws {
            let page = try Self.parse([
                "# Title", "", "<!-- run -->", "```sh", "echo one", "```", "", "<!-- output -->", "```",
                "one", "```", "", "- a list item:", "  <!-- run -->", "  ```bash", "  echo two", "  ```",
            ])
            #expect(page.server == .standard)
            #expect(
                page.blocks == [
                    RunnableDocBlock(line: 4, code: "echo one\n", expectedOutput: ["one"], outputLine: 9),
                    RunnableDocBlock(line: 15, code: "echo two\n"),
                ])
            #expect(page.blocks.first?.firstLine == "echo one")
        }

        @Test("unmarked blocks, markers inside fences and other comments between marker and fence")
        func ignoredText() throws {
            let page = try Self.parse([
                "```sh", "exit 1", "```", "````markdown", "<!-- run -->", "```sh", "exit 2", "```", "````",
                "<!-- run -->", "<!-- example: name -->", "```sh", "true", "```", "```", "not output", "```",
            ])
            #expect(page.blocks == [RunnableDocBlock(line: 12, code: "true\n")])
            #expect(!DocBlockParser.hasMarkers("````md\n<!-- run -->\n```sh\nx\n```\n````\n"))
            #expect(DocBlockParser.hasMarkers("text\n<!-- run\n"))
        }

        @Test("run-server: arguments, none, and the default")
        func serverModes() throws {
            let withArguments = try Self.parse([
                "<!-- run-server: --token s3cret  --snapshot-interval 1s -->", "<!-- run -->", "```sh", "x",
                "```",
            ])
            #expect(withArguments.server == .arguments(["--token", "s3cret", "--snapshot-interval", "1s"]))
            let none = try Self.parse(["<!-- run -->", "```sh", "x", "```", "<!-- run-server: none -->"])
            #expect(none.server == .none)
        }

        @Test(
            "a malformed marker is an error naming its line and rule",
            arguments: [
                (["<!-- run", "```sh", "x", "```"], 1, "no closing -->"),
                (["<!-- output -->", "```", "x", "```"], 1, "no runnable block"),
                (
                    [
                        "<!-- run -->", "```sh", "x", "```", "```", "y", "```", "<!-- output -->", "```", "x",
                        "```",
                    ], 8,
                    "no runnable block"
                ),
                (["<!-- run -->", "```sh", "x", "```", "<!-- run-srever: none -->"], 5, "unknown marker"),
                (
                    ["<!-- run-server: -->", "<!-- run -->", "```sh", "x", "```"], 1,
                    "needs the server's arguments"
                ),
                (["<!-- run -->", "```python", "x", "```"], 2, "not ```python"),
                (["<!-- run -->", "", "```sh", "x", "```"], 1, "line 2 is not a fence"),
                (["<!-- run -->", "```sh", "x"], 2, "is not closed"),
                (["text", "<!-- run -->"], 2, "no fenced block after it"),
                (["<!-- run-server: none -->", "text"], 1, "no runnable block"),
                (["<!-- runnable -->", "```sh", "x", "```"], 1, "unknown marker"),
                (["<!-- run --> now", "```sh", "x", "```"], 1, "alone on its line"),
            ] as [([String], Int, String)])
        func malformed(lines: [String], line: Int, rule: String) {
            let error = Self.error(lines)
            #expect(error?.line == line, "\(String(describing: error))")
            #expect(error?.message.contains(rule) == true, "\(String(describing: error))")
            #expect(error?.description.hasPrefix("fixture.md:\(line): ") == true)
        }
    }
}
