from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class McpServer(_message.Message):
    __slots__ = ("server_id", "server_name", "alias", "source", "description", "transport", "url", "command", "args", "env", "static_headers", "auth_type", "has_auth_value", "extra_headers", "allowed_tools", "disallowed_tools", "mcp_access_groups", "allow_all_keys", "timeout", "mcp_info", "healthy", "status", "tool_count", "created_at", "updated_at", "created_by", "updated_by")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class StaticHeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TRANSPORT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    STATIC_HEADERS_FIELD_NUMBER: _ClassVar[int]
    AUTH_TYPE_FIELD_NUMBER: _ClassVar[int]
    HAS_AUTH_VALUE_FIELD_NUMBER: _ClassVar[int]
    EXTRA_HEADERS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    DISALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    MCP_ACCESS_GROUPS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_ALL_KEYS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    MCP_INFO_FIELD_NUMBER: _ClassVar[int]
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOOL_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    server_name: str
    alias: str
    source: str
    description: str
    transport: str
    url: str
    command: str
    args: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.ScalarMap[str, str]
    static_headers: _containers.ScalarMap[str, str]
    auth_type: str
    has_auth_value: bool
    extra_headers: _containers.RepeatedScalarFieldContainer[str]
    allowed_tools: _containers.RepeatedScalarFieldContainer[str]
    disallowed_tools: _containers.RepeatedScalarFieldContainer[str]
    mcp_access_groups: _containers.RepeatedScalarFieldContainer[str]
    allow_all_keys: bool
    timeout: float
    mcp_info: _struct_pb2.Struct
    healthy: bool
    status: str
    tool_count: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    def __init__(self, server_id: _Optional[str] = ..., server_name: _Optional[str] = ..., alias: _Optional[str] = ..., source: _Optional[str] = ..., description: _Optional[str] = ..., transport: _Optional[str] = ..., url: _Optional[str] = ..., command: _Optional[str] = ..., args: _Optional[_Iterable[str]] = ..., env: _Optional[_Mapping[str, str]] = ..., static_headers: _Optional[_Mapping[str, str]] = ..., auth_type: _Optional[str] = ..., has_auth_value: _Optional[bool] = ..., extra_headers: _Optional[_Iterable[str]] = ..., allowed_tools: _Optional[_Iterable[str]] = ..., disallowed_tools: _Optional[_Iterable[str]] = ..., mcp_access_groups: _Optional[_Iterable[str]] = ..., allow_all_keys: _Optional[bool] = ..., timeout: _Optional[float] = ..., mcp_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., healthy: _Optional[bool] = ..., status: _Optional[str] = ..., tool_count: _Optional[int] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., created_by: _Optional[str] = ..., updated_by: _Optional[str] = ...) -> None: ...

class McpCredentials(_message.Message):
    __slots__ = ("auth_value",)
    AUTH_VALUE_FIELD_NUMBER: _ClassVar[int]
    auth_value: str
    def __init__(self, auth_value: _Optional[str] = ...) -> None: ...

class ListMcpServersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMcpServersResponse(_message.Message):
    __slots__ = ("servers",)
    SERVERS_FIELD_NUMBER: _ClassVar[int]
    servers: _containers.RepeatedCompositeFieldContainer[McpServer]
    def __init__(self, servers: _Optional[_Iterable[_Union[McpServer, _Mapping]]] = ...) -> None: ...

class GetMcpServerRequest(_message.Message):
    __slots__ = ("server_id",)
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    def __init__(self, server_id: _Optional[str] = ...) -> None: ...

class GetMcpServerResponse(_message.Message):
    __slots__ = ("server",)
    SERVER_FIELD_NUMBER: _ClassVar[int]
    server: McpServer
    def __init__(self, server: _Optional[_Union[McpServer, _Mapping]] = ...) -> None: ...

class AddMcpServerResponse(_message.Message):
    __slots__ = ("server",)
    SERVER_FIELD_NUMBER: _ClassVar[int]
    server: McpServer
    def __init__(self, server: _Optional[_Union[McpServer, _Mapping]] = ...) -> None: ...

class UpdateMcpServerResponse(_message.Message):
    __slots__ = ("server",)
    SERVER_FIELD_NUMBER: _ClassVar[int]
    server: McpServer
    def __init__(self, server: _Optional[_Union[McpServer, _Mapping]] = ...) -> None: ...

class GetMcpServerHealthResponse(_message.Message):
    __slots__ = ("health",)
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    health: McpServerHealth
    def __init__(self, health: _Optional[_Union[McpServerHealth, _Mapping]] = ...) -> None: ...

class AddMcpServerRequest(_message.Message):
    __slots__ = ("server_id", "server_name", "alias", "description", "transport", "url", "command", "args", "env", "auth_type", "credentials", "static_headers", "extra_headers", "allowed_tools", "disallowed_tools", "mcp_access_groups", "allow_all_keys", "timeout", "mcp_info")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class StaticHeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TRANSPORT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    AUTH_TYPE_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    STATIC_HEADERS_FIELD_NUMBER: _ClassVar[int]
    EXTRA_HEADERS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    DISALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    MCP_ACCESS_GROUPS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_ALL_KEYS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    MCP_INFO_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    server_name: str
    alias: str
    description: str
    transport: str
    url: str
    command: str
    args: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.ScalarMap[str, str]
    auth_type: str
    credentials: McpCredentials
    static_headers: _containers.ScalarMap[str, str]
    extra_headers: _containers.RepeatedScalarFieldContainer[str]
    allowed_tools: _containers.RepeatedScalarFieldContainer[str]
    disallowed_tools: _containers.RepeatedScalarFieldContainer[str]
    mcp_access_groups: _containers.RepeatedScalarFieldContainer[str]
    allow_all_keys: bool
    timeout: float
    mcp_info: _struct_pb2.Struct
    def __init__(self, server_id: _Optional[str] = ..., server_name: _Optional[str] = ..., alias: _Optional[str] = ..., description: _Optional[str] = ..., transport: _Optional[str] = ..., url: _Optional[str] = ..., command: _Optional[str] = ..., args: _Optional[_Iterable[str]] = ..., env: _Optional[_Mapping[str, str]] = ..., auth_type: _Optional[str] = ..., credentials: _Optional[_Union[McpCredentials, _Mapping]] = ..., static_headers: _Optional[_Mapping[str, str]] = ..., extra_headers: _Optional[_Iterable[str]] = ..., allowed_tools: _Optional[_Iterable[str]] = ..., disallowed_tools: _Optional[_Iterable[str]] = ..., mcp_access_groups: _Optional[_Iterable[str]] = ..., allow_all_keys: _Optional[bool] = ..., timeout: _Optional[float] = ..., mcp_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class UpdateMcpServerRequest(_message.Message):
    __slots__ = ("server_id", "server_name", "alias", "description", "transport", "url", "command", "args", "env", "auth_type", "credentials", "static_headers", "extra_headers", "allowed_tools", "disallowed_tools", "mcp_access_groups", "allow_all_keys", "timeout", "mcp_info", "clear_fields")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class StaticHeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TRANSPORT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    AUTH_TYPE_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    STATIC_HEADERS_FIELD_NUMBER: _ClassVar[int]
    EXTRA_HEADERS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    DISALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    MCP_ACCESS_GROUPS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_ALL_KEYS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    MCP_INFO_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    server_name: str
    alias: str
    description: str
    transport: str
    url: str
    command: str
    args: _containers.RepeatedScalarFieldContainer[str]
    env: _containers.ScalarMap[str, str]
    auth_type: str
    credentials: McpCredentials
    static_headers: _containers.ScalarMap[str, str]
    extra_headers: _containers.RepeatedScalarFieldContainer[str]
    allowed_tools: _containers.RepeatedScalarFieldContainer[str]
    disallowed_tools: _containers.RepeatedScalarFieldContainer[str]
    mcp_access_groups: _containers.RepeatedScalarFieldContainer[str]
    allow_all_keys: bool
    timeout: float
    mcp_info: _struct_pb2.Struct
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, server_id: _Optional[str] = ..., server_name: _Optional[str] = ..., alias: _Optional[str] = ..., description: _Optional[str] = ..., transport: _Optional[str] = ..., url: _Optional[str] = ..., command: _Optional[str] = ..., args: _Optional[_Iterable[str]] = ..., env: _Optional[_Mapping[str, str]] = ..., auth_type: _Optional[str] = ..., credentials: _Optional[_Union[McpCredentials, _Mapping]] = ..., static_headers: _Optional[_Mapping[str, str]] = ..., extra_headers: _Optional[_Iterable[str]] = ..., allowed_tools: _Optional[_Iterable[str]] = ..., disallowed_tools: _Optional[_Iterable[str]] = ..., mcp_access_groups: _Optional[_Iterable[str]] = ..., allow_all_keys: _Optional[bool] = ..., timeout: _Optional[float] = ..., mcp_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveMcpServerRequest(_message.Message):
    __slots__ = ("server_id",)
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    def __init__(self, server_id: _Optional[str] = ...) -> None: ...

class RemoveMcpServerResponse(_message.Message):
    __slots__ = ("server_id", "server_name", "deleted")
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    server_name: str
    deleted: bool
    def __init__(self, server_id: _Optional[str] = ..., server_name: _Optional[str] = ..., deleted: _Optional[bool] = ...) -> None: ...

class GetMcpServerHealthRequest(_message.Message):
    __slots__ = ("server_id",)
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    def __init__(self, server_id: _Optional[str] = ...) -> None: ...

class McpServerHealth(_message.Message):
    __slots__ = ("server_id", "server_name", "transport", "healthy", "status", "tool_count")
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    TRANSPORT_FIELD_NUMBER: _ClassVar[int]
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOOL_COUNT_FIELD_NUMBER: _ClassVar[int]
    server_id: str
    server_name: str
    transport: str
    healthy: bool
    status: str
    tool_count: int
    def __init__(self, server_id: _Optional[str] = ..., server_name: _Optional[str] = ..., transport: _Optional[str] = ..., healthy: _Optional[bool] = ..., status: _Optional[str] = ..., tool_count: _Optional[int] = ...) -> None: ...
