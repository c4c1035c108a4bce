//! Paginators: the pages of a listing, fetched one request at a time as the
//! iterator is advanced.

use std::collections::HashSet;
use std::fmt;

use crate::client::Client;
use crate::error::Error;

/// The pages of a paginated operation's answer, as an iterator of results.
///
/// Each `next()` sends one request (with the client's retries). It ends
/// after a page with no `nextToken`, after a page whose token was already
/// seen (a service bug that would otherwise loop forever), or after an error,
/// which it yields once.
pub struct Paginator<'a, I, O> {
    client: &'a Client,
    /// The input of the next request; `None` once the last page is read.
    next: Option<I>,
    seen: HashSet<String>,
    send: fn(&Client, I) -> Result<O, Error>,
    set_token: fn(&mut I, String),
    token_of: fn(&O) -> Option<&str>,
}

impl<'a, I, O> Paginator<'a, I, O> {
    pub(crate) fn new(
        client: &'a Client,
        input: I,
        send: fn(&Client, I) -> Result<O, Error>,
        set_token: fn(&mut I, String),
        token_of: fn(&O) -> Option<&str>,
    ) -> Self {
        Paginator {
            client,
            next: Some(input),
            seen: HashSet::new(),
            send,
            set_token,
            token_of,
        }
    }
}

impl<I: Clone, O> Iterator for Paginator<'_, I, O> {
    type Item = Result<O, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let input = self.next.take()?;
        let mut following = input.clone();
        let page = match (self.send)(self.client, input) {
            Ok(page) => page,
            Err(error) => return Some(Err(error)),
        };
        if let Some(token) = (self.token_of)(&page).filter(|t| !t.is_empty()) {
            if self.seen.insert(token.to_owned()) {
                (self.set_token)(&mut following, token.to_owned());
                self.next = Some(following);
            }
        }
        Some(Ok(page))
    }
}

impl<I, O> fmt::Debug for Paginator<'_, I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("done", &self.next.is_none())
            .field("pages_with_tokens", &self.seen.len())
            .finish_non_exhaustive()
    }
}

/// The items of every page, one at a time; an error ends it after being
/// yielded.
pub struct Items<'a, I, O, T> {
    pages: Paginator<'a, I, O>,
    items_of: fn(O) -> Vec<T>,
    current: std::vec::IntoIter<T>,
}

impl<'a, I, O, T> Items<'a, I, O, T> {
    pub(crate) fn new(pages: Paginator<'a, I, O>, items_of: fn(O) -> Vec<T>) -> Self {
        Items {
            pages,
            items_of,
            current: Vec::new().into_iter(),
        }
    }
}

impl<I: Clone, O, T> Iterator for Items<'_, I, O, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.current = (self.items_of)(page).into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

impl<I, O, T> fmt::Debug for Items<'_, I, O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}
