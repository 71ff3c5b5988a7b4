import Glibc
import Testing

@testable import SLOWatchPOSIX

/// The mailbox is the only way other threads reach an event loop; a stream writer may still hold it
/// after the server stopped and closed the loop's eventfd.
@Suite struct LoopMailboxTests {
    private enum Message: Sendable, Equatable {
        case ready(UInt64)
        case dropped(UInt64)
    }

    @Test func postedMessagesAreDrainedInOrder() throws {
        let mailbox = try #require(LoopMailbox<Message>())
        defer { mailbox.close() }
        mailbox.post(.ready(1))
        mailbox.post(.dropped(2))
        #expect(mailbox.drain() == [.ready(1), .dropped(2)])
        #expect(mailbox.drain().isEmpty)
    }

    @Test func postAfterCloseDoesNotTouchTheClosedDescriptor() throws {
        let mailbox = try #require(LoopMailbox<Message>())
        mailbox.close()
        // Writing to the closed number would fail with EBADF, or worse, hit whatever file or socket
        // reused that number since. A closed mailbox must make no system call on it at all.
        errno = 0
        #expect(!mailbox.post(.ready(7)))
        #expect(errno != EBADF)
        #expect(mailbox.drain().isEmpty)
    }
}
