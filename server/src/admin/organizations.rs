//! Admin operations: organizations (being written).
