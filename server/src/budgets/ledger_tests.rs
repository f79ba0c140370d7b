use super::*;

fn key_limit(max: f64) -> ScopeLimit {
    ScopeLimit {
        scope: Scope::Key("k".into()),
        max_budget: max,
        soft_budget: None,
        period_ms: None,
        stored_spend: 0.0,
        stored_reset_at: None,
    }
}

// Reservations count against the budget until settled; the real cost replaces them.
#[test]
fn reserve_then_settle() {
    let ledger = BudgetLedger::new(Clock::manual(0));
    let limits = [key_limit(1.0)];
    let a = ledger.reserve(&limits, 0.6).unwrap();
    assert!(
        ledger.reserve(&limits, 0.6).is_err(),
        "0.6 + 0.6 reserved > 1.0"
    );
    a.settle(0.1);
    assert_eq!(
        ledger.snapshot(&Scope::Key("k".into())),
        Some((0.1, 0.0, None))
    );
    let b = ledger.reserve(&limits, 0.9).unwrap();
    b.release();
    assert_eq!(ledger.remaining(&limits[0]), 0.9);
}

// A dropped reservation releases itself.
#[test]
fn drop_releases() {
    let ledger = BudgetLedger::new(Clock::manual(0));
    let limits = [key_limit(1.0)];
    drop(ledger.reserve(&limits, 1.0).unwrap());
    assert!(ledger.reserve(&limits, 1.0).is_ok());
}

// All scopes or none: a team that cannot take the amount blocks the key's reservation too.
#[test]
fn all_or_nothing() {
    let ledger = BudgetLedger::new(Clock::manual(0));
    let team = ScopeLimit {
        scope: Scope::Team("t".into()),
        max_budget: 0.5,
        ..key_limit(0.0)
    };
    let limits = [key_limit(10.0), team];
    let err = ledger.reserve(&limits, 0.6).unwrap_err();
    assert!(
        matches!(&err, Error::BudgetExceeded(m) if m.contains("team t") && m.contains("0.500000")),
        "{err}"
    );
    assert_eq!(
        ledger.remaining(&limits[0]),
        10.0,
        "the key was not reserved"
    );
}

// Stored spend seeds a scope the first time the ledger sees it.
#[test]
fn seeds_from_storage() {
    let ledger = BudgetLedger::new(Clock::manual(0));
    let limit = ScopeLimit {
        stored_spend: 0.75,
        ..key_limit(1.0)
    };
    assert!(ledger.reserve(std::slice::from_ref(&limit), 0.3).is_err());
    assert!(ledger.reserve(std::slice::from_ref(&limit), 0.25).is_ok());
}

// Spend resets at the end of each period, skipping whole missed periods at once.
#[test]
fn period_reset_with_injected_clock() {
    let clock = Clock::manual(1_000);
    let ledger = BudgetLedger::new(clock.clone());
    let limit = ScopeLimit {
        period_ms: Some(60_000),
        ..key_limit(1.0)
    };
    ledger
        .reserve(std::slice::from_ref(&limit), 1.0)
        .unwrap()
        .settle(1.0);
    assert!(ledger.reserve(std::slice::from_ref(&limit), 0.1).is_err());
    clock.advance_ms(59_998);
    assert!(
        ledger.reserve(std::slice::from_ref(&limit), 0.1).is_err(),
        "not yet"
    );
    clock.advance_ms(2);
    ledger
        .reserve(std::slice::from_ref(&limit), 1.0)
        .unwrap()
        .settle(1.0);
    assert_eq!(ledger.snapshot(&limit.scope).unwrap().2, Some(121_000));
    clock.advance_ms(600_000);
    assert!(ledger.reserve(std::slice::from_ref(&limit), 1.0).is_ok());
    assert_eq!(ledger.snapshot(&limit.scope).unwrap().2, Some(721_000));
}

// 50 threads racing for a budget that fits 10: exactly 10 win and spend never passes it.
#[test]
fn concurrent_reservations_never_overspend() {
    let ledger = BudgetLedger::new(Clock::manual(0));
    let limits = Arc::new([key_limit(1.0)]);
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let (ledger, limits) = (ledger.clone(), limits.clone());
            std::thread::spawn(move || match ledger.reserve(&limits[..], 0.1) {
                Ok(r) => {
                    r.settle(0.1);
                    true
                }
                Err(_) => false,
            })
        })
        .collect();
    let wins = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|w| *w)
        .count();
    assert_eq!(wins, 10);
    let (spent, reserved, _) = ledger.snapshot(&Scope::Key("k".into())).unwrap();
    assert!(spent <= 1.0 + 1e-9 && reserved == 0.0, "{spent} {reserved}");
}
