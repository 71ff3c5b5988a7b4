import Testing

@testable import SLOWatchService

/// Values the configuration derives from other settings.
@Suite("ServiceConfiguration")
struct ServiceConfigurationTests {
    @Test("a stream's queue holds a whole replay of the history unless set explicitly")
    func streamQueueCapacity() {
        var configuration = ServiceConfiguration()
        #expect(configuration.effectiveStreamQueueCapacity == 1_024)
        configuration.historyCapacity = 5_000
        #expect(configuration.effectiveStreamQueueCapacity == 5_001)
        configuration.streamQueueCapacity = 7
        #expect(configuration.effectiveStreamQueueCapacity == 7)
    }
}
