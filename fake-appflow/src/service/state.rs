//! What the fake holds between requests, bounded in bytes: resources
//! against a budget that makes a create fail as AppFlow's quotas do, and
//! client tokens against one that forgets the oldest.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::ErrorAnswer;
use super::operations::Op;
use crate::Connector;

/// Bytes of stored resources (definitions, profiles, tags, executions).
pub(crate) const RESOURCE_BYTES: usize = 32 * 1024 * 1024;
/// Bytes of remembered client tokens with their inputs and answers.
const TOKEN_BYTES: usize = 16 * 1024 * 1024;
/// What an execution record costs in the budget.
pub(crate) const EXECUTION_BYTES: usize = 128;
/// Execution records kept per flow, newest first.
pub(crate) const EXECUTIONS_KEPT: usize = 100;

#[derive(Default)]
pub(crate) struct State {
    pub connectors: BTreeMap<String, ConnectorRecord>,
    pub profiles: BTreeMap<String, ProfileRecord>,
    pub flows: BTreeMap<String, FlowRecord>,
    /// Tags by resource ARN.
    pub tags: BTreeMap<String, Map<String, Value>>,
    pub tokens: Tokens,
    /// Executions started so far, for their ids.
    pub executions: u64,
    /// Resource bytes in use.
    used: usize,
}

impl State {
    /// Replaces `old` bytes with `new` in the resource budget, or refuses.
    pub fn charge(&mut self, old: usize, new: usize) -> Result<(), ErrorAnswer> {
        let after = self.used.saturating_sub(old) + new;
        if new > old && after > RESOURCE_BYTES {
            return Err(ErrorAnswer::new(
                402,
                "ServiceQuotaExceededException",
                format!("fake-appflow stores at most {RESOURCE_BYTES} bytes of resources"),
            ));
        }
        self.used = after;
        Ok(())
    }

    /// Frees `bytes` of the resource budget.
    pub fn release(&mut self, bytes: usize) {
        self.used = self.used.saturating_sub(bytes);
    }

    /// Replaces a resource's tags, within the budget.
    pub fn set_tags(&mut self, arn: &str, tags: Map<String, Value>) -> Result<(), ErrorAnswer> {
        let old = self.tags.get(arn).map_or(0, size_of_map);
        self.charge(old, size_of_map(&tags))?;
        self.tags.insert(arn.to_owned(), tags);
        Ok(())
    }

    /// Drops a resource's tags.
    pub fn drop_tags(&mut self, arn: &str) {
        if let Some(tags) = self.tags.remove(arn) {
            self.release(size_of_map(&tags));
        }
    }
}

/// The bytes a JSON value takes written out.
pub(crate) fn size_of(value: &Value) -> usize {
    serde_json::to_string(value).map_or(0, |text| text.len())
}

fn size_of_map(map: &Map<String, Value>) -> usize {
    map.iter().map(|(k, v)| k.len() + size_of(v) + 4).sum()
}

pub(crate) struct ConnectorRecord {
    pub connector: Connector,
    pub description: Option<Value>,
    pub provisioning_type: Option<Value>,
    pub provisioning_config: Option<Value>,
    pub size: usize,
}

pub(crate) struct ProfileRecord {
    pub arn: String,
    pub connector_type: String,
    pub label: Option<String>,
    pub connection_mode: String,
    /// The connector's own properties (the member named after its type).
    pub properties: Value,
    pub credentials_arn: String,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    pub size: usize,
}

/// One end of a flow: its connector type, and the profile it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct End {
    pub connector_type: String,
    pub profile: Option<String>,
    /// The custom connector's label, from the profile.
    pub label: Option<String>,
}

pub(crate) struct FlowRecord {
    pub arn: String,
    pub status: &'static str,
    /// The members of CreateFlow/UpdateFlow that describe the flow, as
    /// JSON text: compact, so the byte budget is what memory holds.
    pub definition: String,
    pub trigger_type: String,
    pub source: End,
    pub destinations: Vec<End>,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    /// Newest first.
    pub runs: VecDeque<Execution>,
    pub size: usize,
}

impl FlowRecord {
    /// Whether any of its ends names the profile `name`.
    pub fn uses_profile(&self, name: &str) -> bool {
        std::iter::once(&self.source)
            .chain(&self.destinations)
            .any(|end| end.profile.as_deref() == Some(name))
    }

    /// Whether an execution is still running at `now`.
    pub fn is_running(&self, now: SystemTime) -> bool {
        self.runs.iter().any(|run| run.status(now) == "InProgress")
    }
}

pub(crate) struct Execution {
    pub id: String,
    pub started: SystemTime,
    /// When it succeeds unless canceled first.
    pub ends: SystemTime,
    pub canceled_at: Option<SystemTime>,
}

impl Execution {
    pub fn status(&self, now: SystemTime) -> &'static str {
        match self.canceled_at {
            Some(_) => "Canceled",
            None if now >= self.ends => "Successful",
            None => "InProgress",
        }
    }

    /// When its status last changed, as seen at `now`.
    pub fn updated(&self, now: SystemTime) -> SystemTime {
        match (self.canceled_at, now >= self.ends) {
            (Some(at), _) => at,
            (None, true) => self.ends,
            (None, false) => self.started,
        }
    }
}

/// Client tokens by operation, with what they were first used for.
#[derive(Default)]
pub(crate) struct Tokens {
    uses: HashMap<(Op, String), TokenUse>,
    /// Oldest first, for eviction.
    order: VecDeque<(Op, String)>,
    bytes: usize,
}

/// What a client token was first used for, and the answer it got.
pub(crate) struct TokenUse {
    pub input: String,
    pub answer: Value,
    pub at: SystemTime,
    size: usize,
}

/// Client tokens remembered at once, whatever their size.
const MAX_TOKENS: usize = 100_000;

impl Tokens {
    /// The first use of `token` for `op`, if still remembered.
    pub fn get(
        &mut self,
        op: Op,
        token: &str,
        now: SystemTime,
        ttl: Duration,
    ) -> Option<&TokenUse> {
        self.expire(now, ttl);
        self.uses.get(&(op, token.to_owned()))
    }

    pub fn remember(
        &mut self,
        op: Op,
        token: String,
        input: String,
        answer: Value,
        at: SystemTime,
    ) {
        let size = token.len() + input.len() + size_of(&answer) + 64;
        let key = (op, token);
        while !self.order.is_empty()
            && (self.uses.len() >= MAX_TOKENS || self.bytes + size > TOKEN_BYTES)
        {
            self.forget_oldest();
        }
        self.bytes += size;
        self.order.push_back(key.clone());
        self.uses.insert(
            key,
            TokenUse {
                input,
                answer,
                at,
                size,
            },
        );
    }

    fn expire(&mut self, now: SystemTime, ttl: Duration) {
        while let Some(oldest) = self.order.front() {
            let expired = self
                .uses
                .get(oldest)
                .is_none_or(|used| now.duration_since(used.at).unwrap_or_default() >= ttl);
            if !expired {
                break;
            }
            self.forget_oldest();
        }
    }

    fn forget_oldest(&mut self) {
        if let Some(key) = self.order.pop_front() {
            if let Some(used) = self.uses.remove(&key) {
                self.bytes -= used.size;
            }
        }
    }
}
