//! Caches credentials from a slow source and refreshes temporary ones a few
//! minutes before they expire.
//!
//! One thread loads at a time; the others use still-valid credentials
//! meanwhile, or wait and share the result, failure included (a source that
//! is down is asked once, not once per waiting thread). A failed refresh
//! falls back to credentials that are still valid.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use super::Credentials;
use crate::error::Error;

/// Refresh this long before `Expiration`, so a request signed just before
/// never arrives with expired credentials.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Default)]
pub(crate) struct CredentialsCache {
    state: Mutex<State>,
    /// Signalled when a load finishes.
    loaded: Condvar,
    /// Threads blocked waiting for a load, so a test can prove they overlap.
    #[cfg(test)]
    waiting: std::sync::atomic::AtomicUsize,
}

#[derive(Debug, Default)]
struct State {
    current: Option<Cached>,
    loading: bool,
    /// Counts finished loads, so a waiter knows the one it waited for ended.
    loads: u64,
    /// How the last load failed, for the threads that waited on it.
    failure: Option<(u64, SharedError)>,
}

#[derive(Debug, Clone)]
struct Cached {
    credentials: Credentials,
    /// When to load again: [`REFRESH_MARGIN`] before expiry, or for
    /// credentials that arrive with less life than that, half-way through
    /// what they have left, so they are used rather than reloaded per call.
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn new(credentials: Credentials, now: SystemTime) -> Cached {
        let refresh_at = credentials.expires_at().map(|expires| {
            let left = expires.duration_since(now).unwrap_or_default();
            expires
                .checked_sub(REFRESH_MARGIN.min(left / 2))
                .unwrap_or(expires)
        });
        Cached {
            credentials,
            refresh_at,
        }
    }

    fn is_fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    fn is_expired(&self, now: SystemTime) -> bool {
        self.credentials.expires_at().is_some_and(|at| at <= now)
    }
}

/// A load's error, kept for the threads that waited on it (`Error` holds
/// an `io::Error`, which cannot be cloned).
#[derive(Debug, Clone)]
enum SharedError {
    Config(String),
    Missing(String),
}

impl SharedError {
    fn of(error: &Error) -> SharedError {
        match error {
            Error::InvalidConfig(message) => SharedError::Config(message.clone()),
            Error::MissingCredentials(message) => SharedError::Missing(message.clone()),
            other => SharedError::Missing(other.to_string()),
        }
    }

    fn to_error(&self) -> Error {
        match self {
            SharedError::Config(message) => Error::InvalidConfig(message.clone()),
            SharedError::Missing(message) => Error::MissingCredentials(message.clone()),
        }
    }
}

/// Ends a load whose source panicked, so the cache is not left `loading`
/// forever: the threads waiting on it get an error, and the next call
/// loads again. Forgotten when the load returns.
struct PanicGuard<'a> {
    cache: &'a CredentialsCache,
}

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.cache.lock();
        state.loading = false;
        state.loads += 1;
        let failure = SharedError::Missing("the credential source panicked".into());
        state.failure = Some((state.loads, failure));
        drop(state);
        self.cache.loaded.notify_all();
    }
}

impl CredentialsCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached credentials, or fresh ones from `load`.
    pub fn get_or_load(
        &self,
        now: SystemTime,
        load: impl FnOnce() -> Result<Credentials, Error>,
    ) -> Result<Credentials, Error> {
        let mut state = self.lock();
        if let Some(cached) = state.current.as_ref().filter(|c| c.is_fresh(now)) {
            return Ok(cached.credentials.clone());
        }
        if state.loading {
            // Another thread is loading: still-valid credentials do meanwhile.
            if let Some(cached) = state.current.as_ref().filter(|c| !c.is_expired(now)) {
                return Ok(cached.credentials.clone());
            }
            let waited_for = state.loads;
            #[cfg(test)]
            self.waiting
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            while state.loading && state.loads == waited_for {
                state = self.loaded.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            if let Some((load, failure)) = &state.failure {
                if *load > waited_for {
                    return Err(failure.to_error());
                }
            }
            if let Some(cached) = &state.current {
                return Ok(cached.credentials.clone());
            }
        }
        state.loading = true;
        drop(state);
        let unwinding = PanicGuard { cache: self };
        let result = load();
        std::mem::forget(unwinding);
        let mut state = self.lock();
        state.loading = false;
        state.loads += 1;
        let outcome = match result {
            Ok(credentials) => {
                state.current = Some(Cached::new(credentials.clone(), now));
                state.failure = None;
                Ok(credentials)
            }
            Err(error) => {
                state.failure = Some((state.loads, SharedError::of(&error)));
                // A failed refresh is no reason to drop what still works.
                match state.current.as_ref().filter(|c| !c.is_expired(now)) {
                    Some(cached) => Ok(cached.credentials.clone()),
                    None => Err(error),
                }
            }
        };
        drop(state);
        self.loaded.notify_all();
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Spins until `count` threads wait on `cache`'s load; the 60 s bound
    /// only ends a broken run (the assertions then fail).
    fn wait_for_waiters(cache: &CredentialsCache, count: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while cache.waiting.load(Ordering::SeqCst) < count && std::time::Instant::now() < deadline {
            std::thread::yield_now();
        }
    }

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
    fn credentials_arriving_inside_the_margin_are_used_until_half_their_life() {
        let cache = CredentialsCache::default();
        let now = SystemTime::now();
        let loads = AtomicUsize::new(0);
        let load = || {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok(expiring(now + Duration::from_secs(120)))
        };
        cache.get_or_load(now, load).unwrap();
        for secs in [1, 30, 59] {
            cache
                .get_or_load(now + Duration::from_secs(secs), load)
                .unwrap();
        }
        assert_eq!(
            loads.load(Ordering::SeqCst),
            1,
            "not reloaded on every call"
        );
        cache
            .get_or_load(now + Duration::from_secs(61), load)
            .unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failed_refresh_keeps_still_valid_credentials() {
        let cache = CredentialsCache::default();
        let now = SystemTime::now();
        cache
            .get_or_load(now, || Ok(expiring(now + Duration::from_secs(3600))))
            .unwrap();
        let later = now + Duration::from_secs(58 * 60); // inside the margin
        let kept = cache
            .get_or_load(later, || {
                Err(Error::MissingCredentials("STS is down".into()))
            })
            .unwrap();
        assert_eq!(kept.access_key_id(), "ASIA");
        let expired = now + Duration::from_secs(3601);
        let err = cache
            .get_or_load(expired, || {
                Err(Error::MissingCredentials("STS is down".into()))
            })
            .unwrap_err();
        assert!(err.to_string().contains("STS is down"), "{err}");
    }

    #[test]
    fn waiters_share_a_failed_load_instead_of_repeating_it() {
        const THREADS: usize = 8;
        let cache = Arc::new(CredentialsCache::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(std::sync::Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let (cache, loads, start) = (cache.clone(), loads.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let loading = cache.clone();
                    cache.get_or_load(SystemTime::now(), || {
                        loads.fetch_add(1, Ordering::SeqCst);
                        // Fail only once every other thread waits for this load.
                        wait_for_waiters(&loading, THREADS - 1);
                        Err(Error::MissingCredentials("the source is down".into()))
                    })
                })
            })
            .collect();
        for thread in threads {
            let err = thread.join().unwrap().unwrap_err();
            assert!(err.to_string().contains("the source is down"), "{err}");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1, "one load for all");
    }

    #[test]
    fn a_panicking_load_neither_wedges_the_cache_nor_its_waiters() {
        let cache = Arc::new(CredentialsCache::default());
        let (loading, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let panicking = {
            let cache = cache.clone();
            std::thread::spawn(move || {
                cache.get_or_load(SystemTime::now(), || {
                    loading.0.send(()).unwrap();
                    release.1.recv().unwrap();
                    panic!("a source that panics");
                })
            })
        };
        loading.1.recv().unwrap();
        let waiter = {
            let cache = cache.clone();
            std::thread::spawn(move || {
                cache.get_or_load(SystemTime::now(), || panic!("the waiter must not load"))
            })
        };
        wait_for_waiters(&cache, 1);
        release.0.send(()).unwrap();
        assert!(
            panicking.join().is_err(),
            "the panic reaches its own caller"
        );
        let err = waiter.join().unwrap().unwrap_err();
        assert!(err.to_string().contains("panicked"), "{err}");
        // The next call loads again instead of waiting forever.
        let creds = cache
            .get_or_load(SystemTime::now(), || Ok(Credentials::new("AKID", "s")))
            .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
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
                            // claims.
                            wait_for_waiters(&loading, THREADS - 1);
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
        // Past its refresh time (half of its two minutes), not expired.
        let later = now + Duration::from_secs(90);
        let (refreshing, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let slow = {
            let cache = cache.clone();
            std::thread::spawn(move || {
                cache.get_or_load(later, || {
                    refreshing.0.send(()).unwrap();
                    release.1.recv().unwrap(); // holds the refresh until the check is done
                    Ok(Credentials::new("NEW", "new"))
                })
            })
        };
        refreshing.1.recv().unwrap();
        let got = cache
            .get_or_load(later, || panic!("a second refresh must not start"))
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
