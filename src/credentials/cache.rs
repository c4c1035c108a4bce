//! Caches credentials from a slow source and refreshes temporary ones a few
//! minutes before they expire.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::Credentials;
use crate::error::Error;

/// Refresh this long before `Expiration`, so a request signed just before
/// never arrives with expired credentials.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Default)]
pub(crate) struct CredentialsCache {
    current: Mutex<Option<Credentials>>,
    /// Held by the one thread that refreshes.
    refreshing: Mutex<()>,
    /// Threads blocked on `refreshing`, so a test can prove they overlap.
    #[cfg(test)]
    waiting: std::sync::atomic::AtomicUsize,
}

impl CredentialsCache {
    /// The cached credentials, or fresh ones from `load`.
    ///
    /// Only one thread loads at a time. While it does, others wait for it,
    /// unless the old credentials are still valid: then they use those.
    pub fn get_or_load(
        &self,
        now: SystemTime,
        load: impl FnOnce() -> Result<Credentials, Error>,
    ) -> Result<Credentials, Error> {
        let cached = self
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(creds) = &cached {
            if is_fresh(creds, now) {
                return Ok(creds.clone());
            }
        }
        let _refresh = match self.refreshing.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                if let Some(creds) = cached.filter(|c| !is_expired(c, now)) {
                    return Ok(creds);
                }
                #[cfg(test)]
                self.waiting
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                self.refreshing.lock().unwrap_or_else(|p| p.into_inner())
            }
        };
        // Another thread may have refreshed while this one waited.
        if let Some(creds) = self
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            if is_fresh(creds, now) {
                return Ok(creds.clone());
            }
        }
        let creds = load()?;
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(creds.clone());
        Ok(creds)
    }
}

fn is_fresh(creds: &Credentials, now: SystemTime) -> bool {
    creds
        .expires_at()
        .is_none_or(|at| now + REFRESH_MARGIN < at)
}

fn is_expired(creds: &Credentials, now: SystemTime) -> bool {
    creds.expires_at().is_some_and(|at| at <= now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn expiring(at: SystemTime) -> Credentials {
        Credentials::new("ASIA", "secret")
            .with_session_token("t")
            .with_expiry(at)
    }

    #[test]
    fn loads_once_while_fresh_and_again_near_expiry() {
        let cache = CredentialsCache::default();
        let now = SystemTime::now();
        let loads = AtomicUsize::new(0);
        let load = || {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok(expiring(now + Duration::from_secs(3600)))
        };
        cache.get_or_load(now, load).unwrap();
        cache
            .get_or_load(now + Duration::from_secs(60), load)
            .unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        // 56 minutes later the credentials are within the margin: refresh.
        cache
            .get_or_load(now + Duration::from_secs(56 * 60), load)
            .unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn failures_are_not_cached() {
        let cache = CredentialsCache::default();
        let now = SystemTime::now();
        assert!(
            cache
                .get_or_load(now, || Err(Error::MissingCredentials("x".into())))
                .is_err()
        );
        assert!(
            cache
                .get_or_load(now, || Ok(Credentials::new("a", "b")))
                .is_ok()
        );
    }

    #[test]
    fn many_threads_share_one_refresh() {
        const THREADS: usize = 16;
        let cache = Arc::new(CredentialsCache::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(std::sync::Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let (cache, loads, start) = (cache.clone(), loads.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let loading = cache.clone();
                    cache
                        .get_or_load(SystemTime::now(), || {
                            loads.fetch_add(1, Ordering::SeqCst);
                            // Hold the refresh until every other thread is
                            // blocked waiting for it: the overlap this test
                            // claims. The bound only ends a broken run.
                            let deadline = std::time::Instant::now() + Duration::from_secs(60);
                            while loading.waiting.load(Ordering::SeqCst) < THREADS - 1
                                && std::time::Instant::now() < deadline
                            {
                                std::thread::yield_now();
                            }
                            Ok(expiring(SystemTime::now() + Duration::from_secs(3600)))
                        })
                        .unwrap()
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(
            cache.waiting.load(Ordering::SeqCst),
            THREADS - 1,
            "all waited on one refresh"
        );
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn while_one_thread_refreshes_others_use_still_valid_credentials() {
        let cache = Arc::new(CredentialsCache::default());
        let now = SystemTime::now();
        let old = expiring(now + Duration::from_secs(120)); // inside the margin, not expired
        cache.get_or_load(now, || Ok(old.clone())).unwrap();
        let (refreshing, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let slow = {
            let cache = cache.clone();
            std::thread::spawn(move || {
                cache.get_or_load(now, || {
                    refreshing.0.send(()).unwrap();
                    release.1.recv().unwrap(); // holds the refresh until the check is done
                    Ok(Credentials::new("NEW", "new"))
                })
            })
        };
        refreshing.1.recv().unwrap();
        let got = cache
            .get_or_load(now, || panic!("a second refresh must not start"))
            .unwrap();
        assert_eq!(
            got.access_key_id(),
            "ASIA",
            "the still-valid credentials, without waiting"
        );
        release.0.send(()).unwrap();
        assert_eq!(slow.join().unwrap().unwrap().access_key_id(), "NEW");
    }
}
