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

    /// The fault for the next request, if any.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        if let Some(step) = self.script.pop_front() {
            return step;
        }
        if self.rates.is_empty() {
            return None;
        }
        let draw = self.next_unit();
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
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_comes_first_then_rates() {
        let mut faults =
            Faults::script([Some(Fault::Throttle), None]).rate(Fault::InternalError, 1.0);
        assert_eq!(faults.next(), Some(Fault::Throttle));
        assert_eq!(faults.next(), None);
        assert_eq!(faults.next(), Some(Fault::InternalError));
    }

    #[test]
    fn seeded_rates_are_repeatable_and_roughly_right() {
        let draw = |seed| {
            let mut f = Faults::seeded(seed)
                .rate(Fault::Throttle, 0.25)
                .rate(Fault::DropAfterProcessing, 0.25);
            (0..4000).map(|_| f.next()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        let throttled = draw(7)
            .iter()
            .filter(|f| **f == Some(Fault::Throttle))
            .count();
        assert!((800..1200).contains(&throttled), "{throttled}");
    }
}
