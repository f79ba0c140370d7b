//! The MCP hub of Tollgate.
//!
//! This crate will hold the upstream registry, the client sessions and the tool routing behind the
//! gateway's `/mcp` endpoint. It is empty on purpose until the MCP hub issue: the server does not
//! mount `/mcp` yet, so nothing pretends to work.
