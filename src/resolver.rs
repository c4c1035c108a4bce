//! Host names looked up once per ~30 s, not once per call.
//!
//! ureq asks its resolver for every request, before it looks in its
//! connection pool, and its default resolver starts a thread for each
//! lookup whenever a timeout is set: a thread and a `getaddrinfo` per call,
//! and against a real endpoint a DNS query per call, even over a kept-alive
//! connection. This resolver keeps each answer for [`TTL`], so a call that
//! reuses a pooled connection makes no thread and no lookup; a connection
//! that fails to open drops the cached answer ([`CachingResolver::forget`]),
//! so the next attempt looks the name up again.
//!
//! It uses ureq's `unversioned` resolver API, which may change in any ureq
//! release: `Cargo.toml` pins ureq to an exact version, and
//! `tests/lookups.rs` fails if lookups stop going through here.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long an answer is kept: about what AWS's DNS records live.
pub(crate) const TTL: Duration = Duration::from_secs(30);

/// A resolver that caches answers for [`TTL`] and counts real lookups.
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    lookup: DefaultResolver,
    answers: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
    lookups: AtomicUsize,
}

impl CachingResolver {
    /// Drops the cached answer for `url`'s host, after a connection to it
    /// failed: the next request looks the name up again.
    pub(crate) fn forget(&self, url: &str) {
        if let Some(key) = url.parse::<Uri>().ok().as_ref().and_then(cache_key) {
            self.lock().remove(&key);
        }
    }

    /// How many names were looked up (not answered from the cache).
    pub(crate) fn lookups(&self) -> usize {
        self.lookups.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, ResolvedSocketAddrs)>> {
        self.answers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `host:port`, the port made explicit.
fn cache_key(uri: &Uri) -> Option<String> {
    let scheme = uri.scheme()?;
    let authority = uri.authority()?;
    DefaultResolver::host_and_port(scheme, authority)
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let key = cache_key(uri).ok_or(ureq::Error::HostNotFound)?;
        // An IP address needs no lookup, and no thread.
        if let Some(addr) = literal(&key) {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        if let Some((at, addrs)) = self.lock().get(&key) {
            if at.elapsed() < TTL {
                return Ok(addrs.clone());
            }
        }
        self.lookups.fetch_add(1, Ordering::Relaxed);
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        self.lock().insert(key, (Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}

/// The agent's handle on a resolver the transport also keeps.
#[derive(Debug, Clone)]
pub(crate) struct Shared(pub std::sync::Arc<CachingResolver>);

impl Resolver for Shared {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0.resolve(uri, config, timeout)
    }
}

/// `127.0.0.1:8080` or `[::1]:443` as a socket address.
fn literal(host_and_port: &str) -> Option<SocketAddr> {
    let (host, port) = host_and_port.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Some(SocketAddr::new(
        host.parse::<IpAddr>().ok()?,
        port.parse().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_are_parsed_not_looked_up() {
        assert_eq!(
            literal("127.0.0.1:8080"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(literal("[::1]:443"), Some("[::1]:443".parse().unwrap()));
        assert_eq!(literal("localhost:80"), None);
        assert_eq!(
            cache_key(&"https://appflow.us-east-1.amazonaws.com/x".parse().unwrap()).as_deref(),
            Some("appflow.us-east-1.amazonaws.com:443")
        );
    }
}
