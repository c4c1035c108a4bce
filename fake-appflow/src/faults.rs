//! Fault injection: a script of faults for the next requests, then seeded
//! random rates, so reliability tests are repeatable.

use std::collections::VecDeque;

/// Something that goes wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// 429 `ThrottlingException`, before the request is processed.
    Throttle,
    /// 500 `InternalServerException`, before the request is processed.
    InternalError,
    /// The connection closes before the request is processed.
    DropBeforeProcessing,
    /// The request is processed (a connector may be created), then the
    /// connection closes without an answer: the case idempotency tokens exist for.
    DropAfterProcessing,
}

/// Which requests fail, and how.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    script: VecDeque<Option<Fault>>,
    rates: Vec<(Fault, f64)>,
    rng: u64,
    /// With [`per_call`](Faults::per_call): the most faults one call meets.
    per_call: Option<u32>,
}

impl Faults {
    /// No faults.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// The next requests meet these faults in order (`None`: no fault);
    /// after the script, the rates apply.
    pub fn script(steps: impl IntoIterator<Item = Option<Fault>>) -> Faults {
        Faults {
            script: steps.into_iter().collect(),
            ..Faults::default()
        }
    }

    /// Random faults drawn from a generator seeded with `seed`.
    pub fn seeded(seed: u64) -> Faults {
        Faults {
            rng: seed ^ 0x9e37_79b9_7f4a_7c15,
            ..Faults::default()
        }
    }

    /// Each request meets `fault` with probability `rate` (0 to 1).
    pub fn rate(mut self, fault: Fault, rate: f64) -> Faults {
        self.rates.push((fault, rate.clamp(0.0, 1.0)));
        self
    }

    /// Draws each request's fault from the seed, the call it belongs to
    /// (its body without the client token) and its attempt number, instead
    /// of from the order requests arrive in: which call meets which fault no
    /// longer depends on how threads are scheduled. A call meets at most
    /// `max_faults` faults, so it succeeds by attempt `max_faults + 1`.
    pub fn per_call(mut self, max_faults: u32) -> Faults {
        self.per_call = Some(max_faults);
        self
    }

    /// The fault for the next request, if any: attempt `attempt` of the
    /// call `call` (a hash of what identifies it).
    pub(crate) fn next(&mut self, call: u64, attempt: u32) -> Option<Fault> {
        if let Some(step) = self.script.pop_front() {
            return step;
        }
        if self.rates.is_empty() {
            return None;
        }
        let draw = match self.per_call {
            Some(max_faults) if attempt > max_faults => return None,
            Some(_) => unit(mix(
                self.rng ^ mix(call ^ u64::from(attempt).rotate_left(32))
            )),
            None => self.next_unit(),
        };
        let mut cumulative = 0.0;
        for &(fault, rate) in &self.rates {
            cumulative += rate;
            if draw < cumulative {
                return Some(fault);
            }
        }
        None
    }

    /// A uniform draw in [0, 1) from SplitMix64.
    fn next_unit(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        unit(mix(self.rng))
    }
}

/// SplitMix64's output function.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn unit(z: u64) -> f64 {
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_comes_first_then_rates() {
        let mut faults =
            Faults::script([Some(Fault::Throttle), None]).rate(Fault::InternalError, 1.0);
        assert_eq!(faults.next(0, 1), Some(Fault::Throttle));
        assert_eq!(faults.next(0, 1), None);
        assert_eq!(faults.next(0, 1), Some(Fault::InternalError));
    }

    #[test]
    fn seeded_rates_are_repeatable_and_roughly_right() {
        let draw = |seed| {
            let mut f = Faults::seeded(seed)
                .rate(Fault::Throttle, 0.25)
                .rate(Fault::DropAfterProcessing, 0.25);
            (0..4000).map(|_| f.next(0, 1)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        let throttled = draw(7)
            .iter()
            .filter(|f| **f == Some(Fault::Throttle))
            .count();
        assert!((800..1200).contains(&throttled), "{throttled}");
    }

    #[test]
    fn per_call_faults_depend_on_the_call_not_the_order() {
        let plan = || Faults::seeded(3).rate(Fault::Throttle, 0.5).per_call(2);
        let (mut a, mut b) = (plan(), plan());
        let forwards: Vec<_> = (0..50).map(|call| a.next(call, 1)).collect();
        let mut backwards: Vec<_> = (0..50).rev().map(|call| b.next(call, 1)).collect();
        backwards.reverse();
        assert_eq!(forwards, backwards);
        assert!(forwards.contains(&Some(Fault::Throttle)) && forwards.contains(&None));
        let mut always = Faults::seeded(3).rate(Fault::Throttle, 1.0).per_call(2);
        let attempts: Vec<_> = (1..=4).map(|attempt| always.next(7, attempt)).collect();
        assert_eq!(
            attempts,
            [Some(Fault::Throttle), Some(Fault::Throttle), None, None]
        );
    }
}
