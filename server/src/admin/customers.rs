//! Admin operations: customers (being written).
