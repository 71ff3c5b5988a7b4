import Testing

extension DocBlocksTests {
    /// ``DocOutputMatcher``: the `…` rules, and that a real difference is reported where it is.
    @Suite("The output matcher")
    struct Matcher {
        @Test(
            "output that matches the page",
            arguments: [
                (["a", "b"], "a\nb\n"),
                (["a", "b  "], "a   \nb"),
                (["a", "b", ""], "a\nb\n\n\n"),
                (["id …, took … ms"], "id 7f3e, took 12.5 ms"),
                (["…"], ""),
                (["…x…"], "x"),
                (["first", "…", "last"], "first\nlast"),
                (["first", "…", "last"], "first\n1\n2\n3\nlast"),
                (["…", "last"], "1\n2\nlast"),
                (["first", "…"], "first\nmore\nlines"),
                (["a…", "…", "…z"], "abc\n\nxyz"),
            ] as [([String], String)])
        func matches(expected: [String], actual: String) {
            #expect(DocOutputMatcher.mismatch(expected: expected, actual: actual) == nil)
        }

        @Test(
            "output that departs from the page is reported at the first difference",
            arguments: [
                (
                    ["a", "b"], "a\nc",
                    DocOutputMatcher.Mismatch(expectedLine: 2, expected: "b", actualLine: 2, actual: "c")
                ),
                (
                    ["a", "b"], "a",
                    DocOutputMatcher.Mismatch(expectedLine: 2, expected: "b", actualLine: 2, actual: nil)
                ),
                (
                    ["a"], "a\nb",
                    DocOutputMatcher.Mismatch(expectedLine: nil, expected: nil, actualLine: 2, actual: "b")
                ),
                (
                    ["x…"], "ax",
                    DocOutputMatcher.Mismatch(expectedLine: 1, expected: "x…", actualLine: 1, actual: "ax")
                ),
                (
                    ["…x"], "xa",
                    DocOutputMatcher.Mismatch(expectedLine: 1, expected: "…x", actualLine: 1, actual: "xa")
                ),
                (
                    ["ab…ba"], "aba",
                    DocOutputMatcher.Mismatch(
                        expectedLine: 1, expected: "ab…ba", actualLine: 1, actual: "aba")
                ),
                (
                    ["first", "…", "last"], "first\n1\n2",
                    DocOutputMatcher.Mismatch(
                        expectedLine: 3, expected: "last", actualLine: 2, actual: "1")
                ),
                (
                    ["  a"], "a",
                    DocOutputMatcher.Mismatch(expectedLine: 1, expected: "  a", actualLine: 1, actual: "a")
                ),
            ] as [([String], String, DocOutputMatcher.Mismatch)])
        func mismatches(expected: [String], actual: String, mismatch: DocOutputMatcher.Mismatch) {
            #expect(DocOutputMatcher.mismatch(expected: expected, actual: actual) == mismatch)
        }

        @Test("a mismatch names both lines")
        func mismatchText() {
            let text = DocOutputMatcher.mismatch(expected: ["one", "two"], actual: "one\nthree")?.description
            #expect(text == "expected line 2 'two' does not match output line 2: 'three'")
        }
    }
}
