//! The generated protobuf messages, gRPC clients and gRPC servers of the `tollgate.v1` API.
//!
//! The `.proto` files under `proto/tollgate/v1` are the source of truth; `build.rs` compiles them
//! (protox, no `protoc`) and generates this code with tonic-prost-build. Nothing is hand-written
//! here beyond the includes.

/// Package `tollgate`.
pub mod tollgate {
    /// Package `tollgate.v1`: completions, models, keys, teams, spend.
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/tollgate.v1.rs"));
    }
}

/// The encoded `google.protobuf.FileDescriptorSet` of every `tollgate.v1` file and its imports,
/// for gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/tollgate_v1_descriptor.bin"));
