/// `POST /samples` bodies for tests, shared by the service and integration targets.
enum TestSamples {
    /// `{"samples":[…]}` with one sample of `metric` per value (ms).
    static func json(_ metric: String, _ values: [Double]) -> String {
        let samples = values.map { #"{"metric":"\#(metric)","value":\#($0)}"# }
        return #"{"samples":["# + samples.joined(separator: ",") + "]}"
    }
}
