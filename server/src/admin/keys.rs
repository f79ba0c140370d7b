//! Admin operations: keys (being written).
