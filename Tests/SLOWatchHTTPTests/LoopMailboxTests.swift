import Glibc
import Testing

@testable import SLOWatchHTTP

/// The mailbox is the only way other threads reach an event loop; a stream writer may still hold it
/// after the server stopped and closed the loop's eventfd.
@Suite struct LoopMailboxTests {
    @Test func postedCommandsAreDrainedInOrder() throws {
        let mailbox = try #require(LoopMailbox())
        defer { mailbox.close() }
        mailbox.post(.streamReady(connectionID: 1))
        mailbox.post(.streamDropped(connectionID: 2))
        let drained = mailbox.drain()
        #expect(drained.count == 2)
        guard case .streamReady(1) = drained.first, case .streamDropped(2) = drained.last else {
            Issue.record("unexpected commands \(drained)")
            return
        }
    }

    @Test func postAfterCloseDoesNotTouchTheClosedDescriptor() throws {
        let mailbox = try #require(LoopMailbox())
        mailbox.close()
        // Writing to the closed number would fail with EBADF, or worse, hit whatever file or socket
        // reused that number since. A closed mailbox must make no system call on it at all.
        errno = 0
        mailbox.post(.streamReady(connectionID: 7))
        #expect(errno != EBADF)
        #expect(mailbox.drain().isEmpty)
    }
}
