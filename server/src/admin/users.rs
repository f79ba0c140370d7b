//! Admin operations: users (being written).
