//! Fewer system calls per call over a kept-alive connection.
//!
//! Wrapped around every connection ureq makes, this spares three kinds of
//! system calls that strace showed on each call of `examples/register`:
//!
//! - **A send for the head and another for the body.** ureq transmits a
//!   request's head, then its body. The head is held back and goes out with
//!   the body in one write (one TLS record, one `send`), or on its own when
//!   the request has no body and ureq turns to wait for the answer. On
//!   loopback a send costs about as much as the receiver's whole wake-up.
//! - **A second liveness probe.** ureq probes a connection (non-blocking
//!   mode on, a one-byte read, non-blocking mode off: three calls) when it
//!   puts the connection back in its pool after an answer, and again when it
//!   takes it out for the next call. Only the second probe can see what
//!   matters (bytes or a close that arrived in between), so the first is
//!   answered without one.
//! - **Socket timeouts set afresh.** ureq sets `SO_SNDTIMEO`/`SO_RCVTIMEO`
//!   whenever the time left differs from what the socket holds, which for a
//!   deadline is on every call. The time left is passed on rounded up to the
//!   millisecond, so consecutive calls usually ask for the same value and no
//!   call is made; the deadline moves by under a millisecond, below the
//!   kernel's own timer resolution for these options.
//!
//! It uses ureq's `unversioned` transport API, as [`crate::resolver`] does;
//! `Cargo.toml` pins ureq to the exact version it was written for.

use std::time::Duration;

use ureq::unversioned::transport::time::Duration as Timeout;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// The last link of the connector chain: wraps whatever came before.
#[derive(Debug)]
pub(crate) struct Quiet;

impl<In: Transport> Connector<In> for Quiet {
    type Out = QuietTransport<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| QuietTransport {
            inner,
            just_used: false,
            held: Vec::new(),
            head_next: true,
        }))
    }
}

/// A connection that sends a request in one write and probes only when
/// it is about to be reused.
#[derive(Debug)]
pub(crate) struct QuietTransport<T> {
    inner: T,
    /// Whether data went either way since the last `is_open`.
    just_used: bool,
    /// A request's head, held back to go out with its body.
    held: Vec<u8>,
    /// Whether the next transmit starts a request (nothing was sent since
    /// the last answer was read).
    head_next: bool,
}

impl<T: Transport> QuietTransport<T> {
    /// Sends what is held, through the output buffer, a buffer at a time.
    fn flush(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let room = self.inner.buffers().output().len();
        for chunk in self.held.chunks(room) {
            self.inner.buffers().output()[..chunk.len()].copy_from_slice(chunk);
            self.inner.transmit_output(chunk.len(), timeout)?;
        }
        self.held.clear();
        Ok(())
    }
}

impl<T: Transport> Transport for QuietTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.just_used = true;
        let timeout = whole_millis(timeout);
        if std::mem::take(&mut self.head_next) {
            let head = &self.inner.buffers().output()[..amount];
            self.held.extend_from_slice(head);
            return Ok(());
        }
        if self.held.is_empty() {
            return self.inner.transmit_output(amount, timeout);
        }
        let output = self.inner.buffers().output();
        let (head, whole) = (self.held.len(), self.held.len() + amount);
        if whole <= output.len() {
            // The body moves up and the head goes in front: one write.
            output.copy_within(..amount, head);
            output[..head].copy_from_slice(&self.held);
            self.held.clear();
            self.inner.transmit_output(whole, timeout)
        } else {
            self.held.extend_from_slice(&output[..amount]);
            self.flush(timeout)
        }
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.just_used = true;
        self.head_next = true;
        let timeout = whole_millis(timeout);
        if !self.held.is_empty() {
            self.flush(timeout)?;
        }
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        // Right after a call this is ureq pooling the connection; the
        // probe that counts comes when the next call takes it out.
        std::mem::take(&mut self.just_used) || self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

/// `timeout` with the time left rounded up to the millisecond.
fn whole_millis(mut timeout: NextTimeout) -> NextTimeout {
    if let Timeout::Exact(left) = timeout.after {
        let millis = Duration::from_millis(u64::from(left.subsec_nanos().div_ceil(1_000_000)));
        let whole = Duration::from_secs(left.as_secs()).checked_add(millis);
        timeout.after = Timeout::Exact(whole.unwrap_or(left));
    }
    timeout
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::LazyBuffers;

    /// Counts the probes that reach the real connection.
    #[derive(Debug)]
    struct Counting {
        buffers: LazyBuffers,
        probes: usize,
        open: bool,
        /// Every transmit, as the bytes it carried.
        sent: Vec<Vec<u8>>,
    }

    fn quiet(output_size: usize) -> QuietTransport<Counting> {
        QuietTransport {
            inner: Counting {
                buffers: LazyBuffers::new(64, output_size),
                probes: 0,
                open: true,
                sent: Vec::new(),
            },
            just_used: false,
            held: Vec::new(),
            head_next: true,
        }
    }

    /// Writes `bytes` into the output buffer and transmits them, as ureq does.
    fn send(quiet: &mut QuietTransport<Counting>, bytes: &[u8]) {
        quiet.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        quiet
            .transmit_output(bytes.len(), NextTimeout::default())
            .unwrap();
    }

    #[test]
    fn a_head_and_its_body_go_out_in_one_write() {
        let mut q = quiet(64);
        send(&mut q, b"POST / HTTP/1.1\r\n\r\n");
        assert!(q.inner.sent.is_empty(), "the head waits for the body");
        send(&mut q, b"{}");
        assert_eq!(q.inner.sent, [b"POST / HTTP/1.1\r\n\r\n{}".to_vec()]);
        q.await_input(NextTimeout::default()).unwrap();
        assert_eq!(q.inner.sent.len(), 1, "nothing was left to send");

        // No body: the head goes when ureq turns to the answer.
        send(&mut q, b"GET / HTTP/1.1\r\n\r\n");
        q.await_input(NextTimeout::default()).unwrap();
        assert_eq!(q.inner.sent[1], b"GET / HTTP/1.1\r\n\r\n");

        // A body that does not fit beside the head: all of it, in order.
        let body: Vec<u8> = (0..60).collect();
        send(&mut q, b"PUT / HTTP/1.1\r\n\r\n");
        send(&mut q, &body);
        send(&mut q, b"tail");
        let sent: Vec<u8> = q.inner.sent[2..].concat();
        assert_eq!(
            sent,
            [&b"PUT / HTTP/1.1\r\n\r\n"[..], &body, b"tail"].concat()
        );
        assert!(q.inner.sent[2..].iter().all(|chunk| chunk.len() <= 64));
    }

    impl Transport for Counting {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            let bytes = self.buffers.output()[..amount].to_vec();
            self.sent.push(bytes);
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            Ok(true)
        }
        fn is_open(&mut self) -> bool {
            self.probes += 1;
            self.open
        }
    }

    #[test]
    fn a_connection_is_probed_once_between_calls_when_it_is_taken_for_reuse() {
        let mut quiet = quiet(64);
        for call in 1..=3 {
            quiet.transmit_output(0, NextTimeout::default()).unwrap();
            quiet.await_input(NextTimeout::default()).unwrap();
            assert!(quiet.is_open(), "pooled after call {call}");
            assert!(quiet.is_open(), "taken out for the call after {call}");
            assert_eq!(quiet.inner.probes, call);
        }
        // A connection the server closed while pooled is not reused.
        quiet.inner.open = false;
        assert!(!quiet.is_open());
        // Idle in the pool, every look probes.
        assert!(!quiet.is_open());
        assert_eq!(quiet.inner.probes, 5);
    }

    #[test]
    fn time_left_is_rounded_up_never_down() {
        let left = |d| {
            let rounded = whole_millis(NextTimeout {
                after: Timeout::Exact(d),
                ..NextTimeout::default()
            });
            *rounded.after
        };
        let ms = Duration::from_millis;
        assert_eq!(left(Duration::from_micros(29_999_980)), ms(30_000));
        assert_eq!(left(Duration::from_micros(29_999_001)), ms(30_000));
        assert_eq!(left(ms(30_000)), ms(30_000));
        assert_eq!(left(Duration::from_nanos(1)), ms(1));
        assert_eq!(left(Duration::ZERO), Duration::ZERO);
        assert_eq!(left(Duration::MAX), Duration::MAX);
        let never = whole_millis(NextTimeout::default());
        assert!(never.after.is_not_happening());
    }
}
