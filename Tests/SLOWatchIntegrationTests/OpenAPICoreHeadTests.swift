import Foundation
import TestCurlClient
import Testing

/// openapi-core (PyPI), a validator nobody here wrote, checks `HEAD` answers of the real binary against
/// `openapi.yaml`: every path that serves GET declares its `head` operation, so none is reported as
/// `OperationNotFound` (issue 19, item 6).
@Suite("openapi-core validates HEAD answers")
struct OpenAPICoreHeadTests {
    /// Whether `python3` can import `openapi_core`, `requests` and `yaml`, installing openapi-core with
    /// pip when it is missing.
    static let hasOpenAPICore: Bool = {
        guard let python = ExternalTool.path("python3") else { return false }
        let probe = "import openapi_core, requests, yaml"
        let imports = { (try? SlowatchProcess.run(["-c", probe], executablePath: python))?.status == 0 }
        if imports() { return true }
        let environment = ["PIP_ROOT_USER_ACTION": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"]
        for extra in [[], ["--break-system-packages"]] {
            _ = try? SlowatchProcess.run(
                ["-m", "pip", "install", "--quiet"] + extra + ["openapi-core", "requests", "pyyaml"],
                environment: environment, executablePath: python, timeout: 300)
            if imports() { return true }
        }
        return false
    }()

    /// Validates each `HEAD target` request and answer with openapi-core; prints `ok` or `FAIL` per target.
    static let script = """
        import sys, requests, yaml
        from openapi_core import OpenAPI
        from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
        spec_path, base = sys.argv[1], sys.argv[2]
        with open(spec_path) as handle:
            document = yaml.safe_load(handle)
        document["servers"] = [{"url": base}]  # the spec names the default port; this server has its own
        api = OpenAPI.from_dict(document)
        failures = 0
        for target in sys.argv[3:]:
            response = requests.head(base + target)
            request = RequestsOpenAPIRequest(response.request)
            try:
                api.validate_request(request)
                api.validate_response(request, RequestsOpenAPIResponse(response))
                print(f"ok HEAD {target} {response.status_code}")
            except Exception as error:
                failures += 1
                print(f"FAIL HEAD {target} {response.status_code}: {type(error).__name__}: {str(error)[:300]}")
        sys.exit(1 if failures else 0)
        """

    @Test(
        "HEAD on every GET path, with 200, 404 and 400 answers, validates against openapi.yaml",
        .enabled(if: hasOpenAPICore, "python3 with openapi-core (pip install openapi-core) is not available"))
    func headAnswersValidate() throws {
        let child = try SlowatchProcess(["--port", "0"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "\(child.standardError)")
        let base = "http://127.0.0.1:\(port)"
        let posted = try CurlClient().post(
            base + "/samples", body: Array(TestSamples.json("checkout", [12.5, 48]).utf8),
            headers: [("Content-Type", "application/json")])
        #expect(posted.status == 200, "\(posted.bodyText)")
        let targets = [
            "/metrics", "/metrics/checkout", "/metrics/checkout/percentiles?q=0.5&q=0.9",
            "/metrics/checkout/samples?limit=2", "/slos", "/slo/violations?limit=5", "/", "/healthz",
            "/openapi.yaml", "/metrics/unknown", "/metrics/checkout/percentiles?window=1m&window=5m",
        ]
        let spec = SlowatchProcess.packageRoot.appendingPathComponent("openapi.yaml").path
        let python = try #require(ExternalTool.path("python3"))
        let result = try SlowatchProcess.run(
            ["-c", Self.script, spec, base] + targets, executablePath: python, timeout: 120)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(!result.standardOutput.contains("OperationNotFound"), "\(result.standardOutput)")
        let passed = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("ok HEAD") }
        #expect(passed.count == targets.count, "\(result.standardOutput)")
    }
}
