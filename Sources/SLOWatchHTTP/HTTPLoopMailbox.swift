import SLOWatchPOSIX

/// The way other threads (stream writers, deferred responders, `stop()`) reach an ``HTTPLoop``: its
/// event loop's mailbox, carrying ``LoopCommand``s.
///
/// Holds the mailbox, not the loop, so a writer that outlives the server keeps no loop alive; a post
/// after the loop was joined is dropped.
struct HTTPLoopMailbox: Sendable {
    /// The event loop's mailbox.
    let mailbox: LoopMailbox<EventLoop<HTTPLoop>.Message>

    /// Queues `command` for the loop; never blocks. False, doing nothing, once the loop stopped.
    @discardableResult func post(_ command: LoopCommand) -> Bool {
        mailbox.post(.command(command))
    }
}
