//! The one path every operation takes: an [`Operation`] says what is
//! specific to it (its input, output and error types, and how its input is
//! laid out as a request); [`FluentBuilder`] holds a client handle and the
//! input, and sends, signs and types errors the same way for all 25.

use std::fmt;
use std::time::SystemTime;

use crate::client::{Call, Client};
use crate::error::{Error, OperationError};
use crate::json::FromJson;
use crate::protocol::SignedRequest;

/// One AppFlow operation: what differs between operations, and nothing else.
/// Implemented by the unit structs in [`crate::operation`]
/// (`RegisterConnector`, ...); sealed.
pub trait Operation: crate::error::sealed::Sealed + Sized {
    /// The operation's input (`RegisterConnectorInput`).
    type Input: Clone + Default + fmt::Debug;
    /// What a successful call returns (`RegisterConnectorOutput`).
    type Output: FromJson + SetRequestId;
    /// The error answers the model lists for it (`RegisterConnectorError`).
    type Error: OperationError;

    /// Validates `input`, fills in what the client makes (idempotency
    /// tokens), and lays it out as restJson1 says.
    #[doc(hidden)]
    fn into_call(input: Self::Input) -> Result<Call, Error>;
}

/// The request id AppFlow gave an answer (`x-amzn-requestid`), as the SDK's
/// `RequestId` trait gives it: quote it to AWS support.
pub trait RequestId {
    /// The request id, if the answer carried one.
    fn request_id(&self) -> Option<&str>;
}

/// Lets the client record an output's request id.
#[doc(hidden)]
pub trait SetRequestId {
    /// Records the request id of the answer this output was read from.
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// Sets an operation's input and sends it: what `client.register_connector()`
/// and the other 24 return. It owns a handle to the client (a cheap clone),
/// so it can be stored or moved to another thread.
pub struct FluentBuilder<O: Operation> {
    pub(crate) client: Client,
    pub(crate) input: O::Input,
}

impl<O: Operation> FluentBuilder<O> {
    pub(crate) fn new(client: &Client) -> Self {
        FluentBuilder {
            client: client.clone(),
            input: O::Input::default(),
        }
    }

    /// Replaces the whole input, e.g. one parsed from JSON.
    pub fn set_input(mut self, input: O::Input) -> Self {
        self.input = input;
        self
    }

    /// The input as set so far.
    pub fn as_input(&self) -> &O::Input {
        &self.input
    }

    /// Validates the input and sends it, retrying as the client's retry
    /// settings say. An error answer is the operation's typed error.
    pub fn send(self) -> Result<O::Output, Error<O::Error>> {
        self.send_plain().map_err(Error::typed)
    }

    /// [`send`](Self::send) with the plain [`Error`]: for programs that
    /// handle every operation alike, without the typed error's code in the
    /// binary.
    pub fn send_untyped(self) -> Result<O::Output, Error> {
        self.send_plain()
    }

    /// [`send`](Self::send), but the answer is not read into the output
    /// type: its JSON text as AppFlow sent it (checked to be JSON; member
    /// order kept, members this crate does not know included), for programs
    /// that print answers as they came, as the `appflow` tool does.
    pub fn send_raw(self) -> Result<String, Error> {
        let call = O::into_call(self.input)?;
        self.client.send_raw(&call)
    }

    /// [`send`](Self::send) with the plain error: the path shared by all
    /// operations (and the paginators).
    pub(crate) fn send_plain(self) -> Result<O::Output, Error> {
        let call = O::into_call(self.input)?;
        self.client.send(&call)
    }

    /// The first attempt [`send`](Self::send) would make at `time`, signed
    /// with the client's credentials, without sending it: exactly the bytes
    /// that go on the wire, with a fresh `amz-sdk-invocation-id` as `send`
    /// makes one. See every attempt of a real call with
    /// [`ClientBuilder::on_request`](crate::ClientBuilder::on_request).
    pub fn signed_request(self, time: SystemTime) -> Result<SignedRequest, Error> {
        let invocation_id = crate::token::client_token()?;
        self.signed_attempt(time, &invocation_id, 1)
    }

    /// Attempt `attempt` of this call as `invocation_id`, signed at `time`,
    /// without sending it: for tests that compare exact bytes.
    #[doc(hidden)]
    pub fn signed_attempt(
        self,
        time: SystemTime,
        invocation_id: &str,
        attempt: u32,
    ) -> Result<SignedRequest, Error> {
        let call = O::into_call(self.input)?;
        self.client
            .sign_attempt(&call, time, invocation_id, attempt)
    }
}

impl<O: Operation> Clone for FluentBuilder<O> {
    fn clone(&self) -> Self {
        FluentBuilder {
            client: self.client.clone(),
            input: self.input.clone(),
        }
    }
}

impl<O: Operation> fmt::Debug for FluentBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FluentBuilder")
            .field("client", &self.client)
            .field("input", &self.input)
            .finish()
    }
}

/// Implements [`RequestId`] and [`SetRequestId`] for outputs that keep the
/// id in a `request_id` field.
macro_rules! request_id {
    ($($output:ty),* $(,)?) => {$(
        impl crate::fluent::RequestId for $output {
            fn request_id(&self) -> Option<&str> {
                self.request_id.as_deref()
            }
        }

        impl crate::fluent::SetRequestId for $output {
            fn set_request_id(&mut self, request_id: Option<String>) {
                self.request_id = request_id;
            }
        }
    )*};
}
pub(crate) use request_id;
