import Dispatch
import SLOWatchSync
import Testing

@testable import SLOWatchPOSIX

@Suite struct LoopThreadTests {
    @Test func theBodyRunsOnTheNewThreadAndJoinWaitsForIt() throws {
        let seen = PThreadLock<(ran: Bool, current: Bool)>((false, false))
        let box = PThreadLock<LoopThread?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let thread = try #require(
            LoopThread.start {
                ready.wait()
                let current = box.withLock { $0?.isCurrent ?? false }
                seen.withLock { $0 = (true, current) }
            })
        box.withLock { $0 = thread }
        ready.signal()
        #expect(!thread.isCurrent)
        thread.join()
        #expect(seen.withLock { $0.ran })
        #expect(seen.withLock { $0.current })
    }
}
