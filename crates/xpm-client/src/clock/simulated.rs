//! [`SimulatedClock`]: virtual time for tests (see the [`clock`](super) module docs). Behind the
//! `test-util` feature.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use tokio::sync::oneshot;

use super::{Clock, Sleep};

/// Virtual time for tests (see the [module docs](super)).
///
/// Tasks take part by running inside [`SimulatedClock::participate`]. The clock advances when all
/// participants are asleep on it; sleepers that do not take part wait for the participants to
/// move time along. A hook ([`SimulatedClock::on_advance`]) lets a test move another clock, such
/// as the emulator's, in step.
#[derive(Clone)]
pub struct SimulatedClock {
    inner: Arc<Simulation>,
}

type AdvanceHook = Box<dyn Fn(DateTime<Utc>) + Send + Sync>;

struct Simulation {
    state: Mutex<SimulationState>,
    on_advance: Mutex<Option<AdvanceHook>>,
}

struct SimulationState {
    now: DateTime<Utc>,
    /// Participants that are not asleep on the clock.
    awake: usize,
    /// Sleepers by deadline, then arrival order.
    sleepers: BinaryHeap<Reverse<(DateTime<Utc>, u64)>>,
    /// Each sleeper's wake-up channel and whether it is a participant.
    wakers: std::collections::HashMap<u64, (oneshot::Sender<()>, bool)>,
    next_id: u64,
}

impl fmt::Debug for SimulatedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.state.lock();
        f.debug_struct("SimulatedClock")
            .field("now", &state.now)
            .field("awake", &state.awake)
            .field("sleepers", &state.sleepers.len())
            .finish()
    }
}

tokio::task_local! {
    /// Set inside [`SimulatedClock::participate`]: the simulation the task takes part in.
    static PARTICIPANT: usize;
}

impl SimulatedClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        let state = SimulationState {
            now: start,
            awake: 0,
            sleepers: BinaryHeap::new(),
            wakers: std::collections::HashMap::new(),
            next_id: 0,
        };
        Self { inner: Arc::new(Simulation { state: Mutex::new(state), on_advance: Mutex::new(None) }) }
    }

    /// Calls `hook` with the new time whenever the clock moves (e.g. to set the emulator's clock).
    pub fn on_advance(&self, hook: impl Fn(DateTime<Utc>) + Send + Sync + 'static) {
        *self.inner.on_advance.lock() = Some(Box::new(hook));
    }

    /// Runs `task` as a participant: while it runs and is not asleep on this clock, time stands
    /// still. Run every task that drives the code under test this way.
    pub async fn participate<F: Future>(&self, task: F) -> F::Output {
        self.participant().run(task).await
    }

    /// Enrols a participant now, to run its task later (e.g. in a spawned task): time cannot move
    /// past the tasks that are about to start.
    pub fn participant(&self) -> Participant {
        self.inner.state.lock().awake += 1;
        Participant { clock: self.clone() }
    }

    /// Moves time forward by `by` at once, waking whoever's deadline has passed.
    pub fn advance(&self, by: chrono::Duration) {
        let now = {
            let mut state = self.inner.state.lock();
            state.now += by;
            wake_due(&mut state);
            state.now
        };
        self.notify(now);
    }

    fn identity(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }

    fn is_participant(&self) -> bool {
        PARTICIPANT.try_with(|simulation| *simulation == self.identity()).unwrap_or(false)
    }

    /// With every participant asleep, jumps to the earliest deadline and wakes its sleepers.
    fn advance_if_idle(&self) {
        let moved = {
            let mut state = self.inner.state.lock();
            let mut moved = None;
            while state.awake == 0 {
                let Some(Reverse((deadline, _))) = state.sleepers.peek().copied() else { break };
                if deadline > state.now {
                    state.now = deadline;
                    moved = Some(deadline);
                }
                wake_due(&mut state);
            }
            moved
        };
        if let Some(now) = moved {
            self.notify(now);
        }
    }

    fn notify(&self, now: DateTime<Utc>) {
        if let Some(hook) = self.inner.on_advance.lock().as_ref() {
            hook(now);
        }
    }
}

/// Wakes every sleeper whose deadline has come; woken participants count as awake again.
fn wake_due(state: &mut SimulationState) {
    while let Some(Reverse((deadline, id))) = state.sleepers.peek().copied() {
        if deadline > state.now {
            break;
        }
        state.sleepers.pop();
        if let Some((waker, participant)) = state.wakers.remove(&id) {
            if participant {
                state.awake += 1;
            }
            // The sleeper may have been dropped (its call cancelled); nothing to wake then.
            let _ = waker.send(());
        }
    }
}

/// An enrolled participant (see [`SimulatedClock::participant`]). Dropping it unused leaves the
/// simulation.
#[must_use = "time cannot move while an enrolled participant is neither running nor dropped"]
#[derive(Debug)]
pub struct Participant {
    clock: SimulatedClock,
}

impl Participant {
    /// Runs `task` as this participant; it leaves the simulation when `task` ends.
    pub async fn run<F: Future>(self, task: F) -> F::Output {
        let identity = self.clock.identity();
        PARTICIPANT.scope(identity, task).await
    }
}

impl Drop for Participant {
    fn drop(&mut self) {
        {
            let mut state = self.clock.inner.state.lock();
            state.awake = state.awake.saturating_sub(1);
        }
        self.clock.advance_if_idle();
    }
}

/// A participant's sleep that was dropped before waking still has to count it awake again.
struct SleepGuard<'a> {
    clock: &'a SimulatedClock,
    id: u64,
    participant: bool,
    woken: bool,
}

impl Drop for SleepGuard<'_> {
    fn drop(&mut self) {
        if self.woken {
            return;
        }
        let mut state = self.clock.inner.state.lock();
        if state.wakers.remove(&self.id).is_some() && self.participant {
            // Still registered: it never woke, so it never counted itself awake again.
            state.awake += 1;
        }
    }
}

impl Clock for SimulatedClock {
    fn now(&self) -> DateTime<Utc> {
        self.inner.state.lock().now
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        Box::pin(async move {
            let participant = self.is_participant();
            let (sender, receiver) = oneshot::channel();
            let id = {
                let mut state = self.inner.state.lock();
                if deadline <= state.now {
                    return;
                }
                let id = state.next_id;
                state.next_id += 1;
                state.sleepers.push(Reverse((deadline, id)));
                state.wakers.insert(id, (sender, participant));
                if participant {
                    state.awake = state.awake.saturating_sub(1);
                }
                id
            };
            let mut guard = SleepGuard { clock: self, id, participant, woken: false };
            self.advance_if_idle();
            // The sender is dropped only after sending, or with the whole clock.
            let _ = receiver.await;
            guard.woken = true;
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn start() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[tokio::test]
    async fn a_lone_participant_sleeps_without_waiting() {
        let clock = SimulatedClock::new(start());
        let woke_at = clock
            .participate(async {
                clock.sleep_until(start() + Duration::hours(3)).await;
                clock.now()
            })
            .await;
        assert_eq!(woke_at, start() + Duration::hours(3));
    }

    #[tokio::test]
    async fn time_stands_still_while_a_participant_is_busy() {
        let clock = SimulatedClock::new(start());
        let (release, busy) = oneshot::channel::<()>();
        let sleeper = {
            let (participant, clock) = (clock.participant(), clock.clone());
            tokio::spawn(participant.run(async move { clock.sleep_until(start() + Duration::seconds(60)).await }))
        };
        let worker = tokio::spawn(clock.participant().run(async move {
            let _ = busy.await;
        }));
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(clock.now(), start(), "moved while a participant was busy");
        let _ = release.send(());
        let (slept, worked) = tokio::join!(sleeper, worker);
        assert!(slept.is_ok() && worked.is_ok());
        assert_eq!(clock.now(), start() + Duration::seconds(60));
    }

    #[tokio::test]
    async fn sleepers_wake_in_deadline_order_and_the_hook_sees_each_step() {
        let clock = SimulatedClock::new(start());
        let seen = Arc::new(Mutex::new(Vec::new()));
        {
            let seen = Arc::clone(&seen);
            clock.on_advance(move |now| seen.lock().push((now - start()).num_seconds()));
        }
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for seconds in [30, 10, 20] {
            let (participant, clock) = (clock.participant(), clock.clone());
            let order = Arc::clone(&order);
            tasks.push(tokio::spawn(participant.run(async move {
                clock.sleep_until(start() + Duration::seconds(seconds)).await;
                order.lock().push((seconds, (clock.now() - start()).num_seconds()));
            })));
        }
        for task in tasks {
            assert!(task.await.is_ok());
        }
        assert_eq!(*order.lock(), [(10, 10), (20, 20), (30, 30)]);
        assert_eq!(*seen.lock(), [10, 20, 30]);
    }
}
