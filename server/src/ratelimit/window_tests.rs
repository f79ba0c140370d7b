use super::*;

const MINUTE: i64 = 60_000;

/// Admits one unit at `t` if it fits under `limit`.
fn admit(w: &mut Window, t: i64, limit: i64) -> bool {
    if w.used(t) < limit {
        w.add(t, 1);
        true
    } else {
        false
    }
}

#[test]
fn counts_within_the_window_and_forgets_after_it() {
    let mut w = Window::new(MINUTE);
    w.add(10_500, 3);
    assert_eq!(w.used(10_500), 3);
    assert_eq!(w.used(10_500 + MINUTE - 1), 3);
    // Counted until one bucket past the window, then gone.
    assert_eq!(w.used(11_000 + MINUTE + 999), 0);
    assert!(w.is_idle(11_000 + MINUTE + 999));
}

#[test]
fn no_double_burst_at_a_window_boundary() {
    // Fixed windows allow `limit` just before and `limit` just after the boundary.
    let mut w = Window::new(MINUTE);
    let admitted_before = (0..100).filter(|_| admit(&mut w, 59_999, 100)).count();
    let admitted_after = (0..100).filter(|_| admit(&mut w, 60_000, 100)).count();
    assert_eq!(admitted_before, 100);
    assert_eq!(admitted_after, 0);
}

/// Property: for any arrival pattern, no interval of one window length holds more admitted
/// units than the limit. Arrivals come from a deterministic pseudo-random walk.
#[test]
fn no_interval_of_one_window_exceeds_the_limit() {
    for seed in 1..40u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let limit = rng.i64(1..30);
        let mut w = Window::new(MINUTE);
        let mut t = rng.i64(0..1_000_000);
        let mut admitted = Vec::new();
        for _ in 0..2_000 {
            t += rng.i64(0..3_000);
            if admit(&mut w, t, limit) {
                admitted.push(t);
            }
        }
        for (i, start) in admitted.iter().enumerate() {
            let within = admitted[i..]
                .iter()
                .take_while(|x| **x < start + MINUTE)
                .count() as i64;
            assert!(
                within <= limit,
                "seed {seed}: {within} > {limit} after {start}"
            );
        }
    }
}

#[test]
fn adjusting_a_reservation_moves_the_count() {
    let mut w = Window::new(MINUTE);
    let bucket = w.add(1_000, 100);
    w.add(2_000, 5);
    w.adjust(3_000, bucket, -60);
    assert_eq!(w.used(3_000), 45);
    w.adjust(3_000, bucket, -1_000);
    assert_eq!(w.used(3_000), 5, "never below zero");
    // An adjustment for a bucket that has left the window changes nothing.
    w.adjust(200_000, bucket, 50);
    assert_eq!(w.used(200_000), 0);
}

#[test]
fn wait_for_names_when_enough_has_left() {
    let mut w = Window::new(MINUTE);
    w.add(0, 2); // bucket 0 leaves at 61 s
    w.add(30_000, 3); // bucket 30 leaves at 91 s
    assert_eq!(w.wait_for(40_000, 0), 0);
    assert_eq!(w.wait_for(40_000, 2), 61_000 - 40_000);
    assert_eq!(w.wait_for(40_000, 4), 91_000 - 40_000);
    assert_eq!(w.reset_after(40_000), 21_000);
    assert_eq!(Window::new(MINUTE).reset_after(5), 0);
}

#[test]
fn day_windows_use_24_minute_buckets() {
    assert_eq!(bucket_ms(86_400_000), 1_440_000);
    let mut w = Window::new(86_400_000);
    w.add(0, 1);
    assert_eq!(w.used(86_400_000 - 1), 1);
    assert_eq!(w.used(86_400_000 + 1_440_000), 0);
}
