"""Generated `tollgate.v1` messages and gRPC stubs (scripts/gen.sh; do not edit the *_pb2* files)."""
