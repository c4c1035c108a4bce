//! Tokens into an expression tree: a Pratt parser with jmespath.py's binding
//! powers, so precedence and projections stop where the AWS CLI's do.

use super::lex::{Comparison, Token};
use super::{Error, Ordered};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Current,
    Field(String),
    Literal(Ordered),
    Index(i64),
    Slice([Option<i64>; 3]),
    /// Evaluate the right side on the left side's result.
    Subexpression(Box<Node>, Box<Node>),
    /// The right side for each item of the list on the left.
    Projection(Box<Node>, Box<Node>),
    /// The right side for each value of the object on the left.
    ValueProjection(Box<Node>, Box<Node>),
    /// Left, items kept where the condition holds, then right on each.
    Filter(Box<Node>, Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Compare(Comparison, Box<Node>, Box<Node>),
    List(Vec<Node>),
    Hash(Vec<(String, Node)>),
    Function(String, Vec<Node>),
    /// `&expr`: the expression itself, for `sort_by` and friends.
    Reference(Box<Node>),
    Pipe(Box<Node>, Box<Node>),
}

/// Parses a whole expression.
pub(super) fn parse(tokens: Vec<Token>) -> Result<Node, Error> {
    let mut parser = Parser { tokens, at: 0 };
    let node = parser.expression(0)?;
    match parser.peek() {
        Token::End => Ok(node),
        other => Err(Error::syntax(format!("unexpected {other:?}"))),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

/// How tightly a token binds to what is on its left.
fn binding_power(token: &Token) -> u8 {
    match token {
        Token::Pipe => 1,
        Token::Or => 2,
        Token::And => 3,
        Token::Compare(_) => 5,
        Token::Flatten => 9,
        Token::Star => 20,
        Token::Filter => 21,
        Token::Dot => 40,
        Token::Not => 45,
        Token::LeftBrace => 50,
        Token::LeftBracket => 55,
        Token::LeftParen => 60,
        _ => 0,
    }
}

/// Below this a token ends a projection's right side.
const PROJECTION_STOP: u8 = 10;

fn boxed(node: Node) -> Box<Node> {
    Box::new(node)
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.at]
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn expect(&mut self, want: &Token) -> Result<(), Error> {
        let got = self.next();
        if &got == want {
            Ok(())
        } else {
            Err(Error::syntax(format!("expected {want:?}, found {got:?}")))
        }
    }

    fn expression(&mut self, power: u8) -> Result<Node, Error> {
        let token = self.next();
        let mut left = self.prefix(token)?;
        while power < binding_power(self.peek()) {
            let token = self.next();
            left = self.infix(token, left)?;
        }
        Ok(left)
    }

    /// A token that starts an expression.
    fn prefix(&mut self, token: Token) -> Result<Node, Error> {
        Ok(match token {
            Token::Literal(value) => Node::Literal(value),
            Token::Identifier(name) => Node::Field(name),
            Token::QuotedIdentifier(name) => {
                if self.peek() == &Token::LeftParen {
                    return Err(Error::syntax("a quoted identifier cannot name a function"));
                }
                Node::Field(name)
            }
            Token::Star => {
                let right = if self.peek() == &Token::RightBracket {
                    Node::Current
                } else {
                    self.projection_right(binding_power(&Token::Star))?
                };
                Node::ValueProjection(boxed(Node::Current), boxed(right))
            }
            Token::Filter => self.filter(Node::Current)?,
            Token::LeftBrace => self.hash()?,
            Token::LeftParen => {
                let inner = self.expression(0)?;
                self.expect(&Token::RightParen)?;
                inner
            }
            Token::Flatten => {
                let right = self.projection_right(binding_power(&Token::Flatten))?;
                Node::Projection(boxed(Node::Flatten(boxed(Node::Current))), boxed(right))
            }
            Token::Not => Node::Not(boxed(self.expression(binding_power(&Token::Not))?)),
            Token::LeftBracket => match (self.peek(), self.peek_at(1)) {
                (Token::Number(_) | Token::Colon, _) => {
                    let index = self.index()?;
                    self.project_slice(Node::Current, index)?
                }
                (Token::Star, Token::RightBracket) => {
                    self.next();
                    self.next();
                    let right = self.projection_right(binding_power(&Token::Star))?;
                    Node::Projection(boxed(Node::Current), boxed(right))
                }
                _ => self.list()?,
            },
            Token::Current => Node::Current,
            Token::Ampersand => Node::Reference(boxed(self.expression(0)?)),
            other => return Err(Error::syntax(format!("unexpected {other:?}"))),
        })
    }

    /// A token that continues the expression on its left.
    fn infix(&mut self, token: Token, left: Node) -> Result<Node, Error> {
        let power = binding_power(&token);
        Ok(match token {
            Token::Dot if self.peek() == &Token::Star => {
                self.next();
                let right = self.projection_right(power)?;
                Node::ValueProjection(boxed(left), boxed(right))
            }
            Token::Dot => Node::Subexpression(boxed(left), boxed(self.dot_right(power)?)),
            Token::Pipe => Node::Pipe(boxed(left), boxed(self.expression(power)?)),
            Token::Or => Node::Or(boxed(left), boxed(self.expression(power)?)),
            Token::And => Node::And(boxed(left), boxed(self.expression(power)?)),
            Token::Compare(op) => Node::Compare(op, boxed(left), boxed(self.expression(power)?)),
            Token::LeftParen => {
                let Node::Field(name) = left else {
                    return Err(Error::syntax("only a name can be called as a function"));
                };
                let mut args = Vec::new();
                while self.peek() != &Token::RightParen {
                    args.push(self.expression(0)?);
                    if self.peek() == &Token::Comma {
                        self.next();
                        if self.peek() == &Token::RightParen {
                            return Err(Error::syntax("a comma before )"));
                        }
                    } else if self.peek() != &Token::RightParen {
                        return Err(Error::syntax("expected , or ) in the arguments"));
                    }
                }
                self.next();
                Node::Function(name, args)
            }
            Token::Filter => self.filter(left)?,
            Token::Flatten => {
                let right = self.projection_right(power)?;
                Node::Projection(boxed(Node::Flatten(boxed(left))), boxed(right))
            }
            Token::LeftBracket => match self.peek() {
                Token::Number(_) | Token::Colon => {
                    let index = self.index()?;
                    self.project_slice(left, index)?
                }
                _ => {
                    self.expect(&Token::Star)?;
                    self.expect(&Token::RightBracket)?;
                    let right = self.projection_right(binding_power(&Token::Star))?;
                    Node::Projection(boxed(left), boxed(right))
                }
            },
            other => return Err(Error::syntax(format!("unexpected {other:?}"))),
        })
    }

    /// `[?condition]` after `left`, with the projection that follows.
    fn filter(&mut self, left: Node) -> Result<Node, Error> {
        let condition = self.expression(0)?;
        self.expect(&Token::RightBracket)?;
        let right = if self.peek() == &Token::Flatten {
            Node::Current
        } else {
            self.projection_right(binding_power(&Token::Filter))?
        };
        Ok(Node::Filter(boxed(left), boxed(right), boxed(condition)))
    }

    /// `[n]` or `[start:stop:step]`, after the `[`.
    fn index(&mut self) -> Result<Node, Error> {
        if self.peek() != &Token::Colon && self.peek_at(1) != &Token::Colon {
            let Token::Number(n) = self.next() else {
                return Err(Error::syntax("expected an index"));
            };
            self.expect(&Token::RightBracket)?;
            return Ok(Node::Index(n));
        }
        let mut parts = [None; 3];
        let mut part = 0;
        loop {
            match self.next() {
                Token::RightBracket => return Ok(Node::Slice(parts)),
                Token::Colon if part < 2 => part += 1,
                Token::Number(n) if parts[part].is_none() => parts[part] = Some(n),
                other => return Err(Error::syntax(format!("unexpected {other:?} in a slice"))),
            }
        }
    }

    /// An index on `left`; a slice also starts a projection.
    fn project_slice(&mut self, left: Node, index: Node) -> Result<Node, Error> {
        let is_slice = matches!(index, Node::Slice(_));
        let indexed = Node::Subexpression(boxed(left), boxed(index));
        if !is_slice {
            return Ok(indexed);
        }
        let right = self.projection_right(binding_power(&Token::Star))?;
        Ok(Node::Projection(boxed(indexed), boxed(right)))
    }

    /// What a projection applies to each item.
    fn projection_right(&mut self, power: u8) -> Result<Node, Error> {
        match self.peek() {
            token if binding_power(token) < PROJECTION_STOP => Ok(Node::Current),
            Token::LeftBracket | Token::Filter => self.expression(power),
            Token::Dot => {
                self.next();
                self.dot_right(power)
            }
            other => Err(Error::syntax(format!(
                "unexpected {other:?} after a projection"
            ))),
        }
    }

    /// What may follow a `.`.
    fn dot_right(&mut self, power: u8) -> Result<Node, Error> {
        match self.peek() {
            Token::Identifier(_) | Token::QuotedIdentifier(_) | Token::Star => {
                self.expression(power)
            }
            Token::LeftBracket => {
                self.next();
                self.list()
            }
            Token::LeftBrace => {
                self.next();
                self.hash()
            }
            other => Err(Error::syntax(format!("unexpected {other:?} after a dot"))),
        }
    }

    /// `[a, b]`, after the `[`.
    fn list(&mut self) -> Result<Node, Error> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            match self.next() {
                Token::Comma => {}
                Token::RightBracket => return Ok(Node::List(items)),
                other => return Err(Error::syntax(format!("unexpected {other:?} in a list"))),
            }
        }
    }

    /// `{k: a, l: b}`, after the `{`.
    fn hash(&mut self) -> Result<Node, Error> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.next() {
                Token::Identifier(key) | Token::QuotedIdentifier(key) => key,
                other => return Err(Error::syntax(format!("expected a key, found {other:?}"))),
            };
            self.expect(&Token::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.next() {
                Token::Comma => {}
                Token::RightBrace => return Ok(Node::Hash(pairs)),
                other => return Err(Error::syntax(format!("unexpected {other:?} in a hash"))),
            }
        }
    }
}
