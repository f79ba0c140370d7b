//! Admin operations: teams (being written).
