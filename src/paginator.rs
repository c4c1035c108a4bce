//! Paginators: the pages of a listing, fetched one request at a time as the
//! iterator is advanced.

use std::collections::HashSet;
use std::fmt;

use crate::client::Client;
use crate::error::Error;
use crate::fluent::{FluentBuilder, Operation};

/// An operation that pages with `nextToken` (and `maxResults`).
#[doc(hidden)]
pub trait Paged: Operation {
    /// Asks for the page after `token`.
    fn set_token(input: &mut Self::Input, token: String);
    /// The token of the page after `output`, if there is one.
    fn token(output: &Self::Output) -> Option<&str>;
    /// Asks for pages of at most `size` items.
    fn set_page_size(input: &mut Self::Input, size: i32);
}

/// A paged operation whose pages hold one list of items.
#[doc(hidden)]
pub trait PagedItems: Paged {
    /// One item of a page.
    type Item;
    /// A page's items.
    fn items(output: Self::Output) -> Vec<Self::Item>;
}

/// The pages of a paginated operation's answer, as an iterator of results:
/// what `into_paginator()` returns.
///
/// Each `next()` sends one request (with the client's retries). It ends
/// after a page with no `nextToken`, after a page whose token was already
/// seen (a service bug that would otherwise loop forever), or after an error,
/// which it yields once.
pub struct Paginator<O: Operation> {
    client: Client,
    /// The input of the next request; `None` once the last page is read.
    next: Option<O::Input>,
    seen: HashSet<String>,
}

impl<O: Paged> Paginator<O> {
    pub(crate) fn new(builder: FluentBuilder<O>) -> Self {
        Paginator {
            client: builder.client,
            next: Some(builder.input),
            seen: HashSet::new(),
        }
    }

    /// Asks for pages of at most `size` items (the operation's `maxResults`).
    pub fn page_size(mut self, size: i32) -> Self {
        if let Some(input) = &mut self.next {
            O::set_page_size(input, size);
        }
        self
    }

    /// The pages, as the SDK's `send()` gives them: this paginator is
    /// already the iterator, so it hands itself back.
    pub fn send(self) -> Self {
        self
    }
}

impl<O: PagedItems> Paginator<O> {
    /// The items of every page, one at a time.
    pub fn items(self) -> Items<O> {
        Items {
            pages: self,
            current: Vec::new().into_iter(),
        }
    }
}

impl<O: Paged> Iterator for Paginator<O> {
    type Item = Result<O::Output, Error<O::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        let input = self.next.take()?;
        let mut following = input.clone();
        let page = FluentBuilder::<O>::new(&self.client)
            .set_input(input)
            .send_plain();
        let page = match page {
            Ok(page) => page,
            Err(error) => return Some(Err(error.typed())),
        };
        if let Some(token) = O::token(&page).filter(|t| !t.is_empty()) {
            if self.seen.insert(token.to_owned()) {
                O::set_token(&mut following, token.to_owned());
                self.next = Some(following);
            }
        }
        Some(Ok(page))
    }
}

impl<O: Operation> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("done", &self.next.is_none())
            .field("pages_with_tokens", &self.seen.len())
            .finish_non_exhaustive()
    }
}

/// The items of every page, one at a time; an error ends it after being
/// yielded.
pub struct Items<O: PagedItems> {
    pages: Paginator<O>,
    current: std::vec::IntoIter<O::Item>,
}

impl<O: PagedItems> Items<O> {
    /// The items, as the SDK's `send()` gives them: this is already the
    /// iterator, so it hands itself back.
    pub fn send(self) -> Self {
        self
    }
}

impl<O: PagedItems> Iterator for Items<O> {
    type Item = Result<O::Item, Error<O::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.current = O::items(page).into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

impl<O: PagedItems> fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}
