//! Fewer system calls per call over a kept-alive connection.
//!
//! Wrapped around every connection ureq makes, this spares two kinds of
//! system calls that strace showed on each call (`benches/compare.sh`):
//!
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
        }))
    }
}

/// A connection that probes only when it is about to be reused.
#[derive(Debug)]
pub(crate) struct QuietTransport<T> {
    inner: T,
    /// Whether data went either way since the last `is_open`.
    just_used: bool,
}

impl<T: Transport> Transport for QuietTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.just_used = true;
        self.inner.transmit_output(amount, whole_millis(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.just_used = true;
        self.inner.await_input(whole_millis(timeout))
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
        let millis = left.as_nanos().div_ceil(1_000_000);
        timeout.after = Timeout::Exact(Duration::from_millis(
            u64::try_from(millis).unwrap_or(u64::MAX),
        ));
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
    }

    impl Transport for Counting {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, _: usize, _: NextTimeout) -> Result<(), ureq::Error> {
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
        let mut quiet = QuietTransport {
            inner: Counting {
                buffers: LazyBuffers::new(64, 64),
                probes: 0,
                open: true,
            },
            just_used: false,
        };
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
        let never = whole_millis(NextTimeout::default());
        assert!(never.after.is_not_happening());
    }
}
