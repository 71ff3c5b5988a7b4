import Foundation
import Testing

/// Python client libraries from PyPI that a test drives for real (`requests`, `httpx-sse`,
/// `sseclient-py`, `datadog`), installed with pip when they are missing.
///
/// `.ci/run` installs them ahead (`make deps-integration`); on a machine where pip cannot, the test that
/// needs one is reported as skipped with the reason, never silently passed:
/// `@Test(.enabled(if: PythonModules.importable(["httpx_sse"], installing: ["httpx-sse"])))`.
enum PythonModules {
    /// Whether `python3` can import every module of `modules`, after `pip install packages` when one
    /// cannot be imported (tried as is, then with `--break-system-packages` for Debian's Python).
    static func importable(_ modules: [String], installing packages: [String]) -> Bool {
        guard let python = ExternalTool.path("python3") else { return false }
        let imports = {
            let statement = "import " + modules.joined(separator: ", ")
            return (try? SlowatchProcess.run(["-c", statement], executablePath: python))?.status == 0
        }
        if imports() { return true }
        let environment = ["PIP_ROOT_USER_ACTION": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"]
        for extra in [[], ["--break-system-packages"]] {
            _ = try? SlowatchProcess.run(
                ["-m", "pip", "install", "--quiet"] + extra + packages, environment: environment,
                executablePath: python, timeout: 180)
            if imports() { return true }
        }
        return false
    }

    /// The reason shown when a test is skipped because `packages` could not be installed.
    static func skipReason(_ packages: [String]) -> Comment {
        Comment(rawValue: "python3 with \(packages.joined(separator: ", ")) (pip install) is not available")
    }
}
