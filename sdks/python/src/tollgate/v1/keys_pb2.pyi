import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Key(_message.Message):
    __slots__ = ("key", "token", "key_alias", "key_name", "models", "aliases", "max_budget", "budget_duration", "budget_reset_at", "soft_budget", "tpm_limit", "rpd_limit", "tpd_limit", "tool_rpm_limit", "rpm_limit", "max_parallel_requests", "metadata", "tags", "team_id", "user_id", "organization_id", "allowed_routes", "blocked", "spend", "expires", "created_at", "object_permission", "model_max_budget", "model_rpm_limit", "model_tpm_limit", "permissions", "key_type", "updated_at", "created_by", "updated_by", "duration")
    class AliasesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ModelRpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ModelTpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    KEY_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOOL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ROUTES_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MODEL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    KEY_TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    key: str
    token: str
    key_alias: str
    key_name: str
    models: _containers.RepeatedScalarFieldContainer[str]
    aliases: _containers.ScalarMap[str, str]
    max_budget: float
    budget_duration: str
    budget_reset_at: _timestamp_pb2.Timestamp
    soft_budget: float
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    tool_rpm_limit: int
    rpm_limit: int
    max_parallel_requests: int
    metadata: _struct_pb2.Struct
    tags: _containers.RepeatedScalarFieldContainer[str]
    team_id: str
    user_id: str
    organization_id: str
    allowed_routes: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    spend: float
    expires: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    object_permission: _struct_pb2.Struct
    model_max_budget: _struct_pb2.Struct
    model_rpm_limit: _containers.ScalarMap[str, int]
    model_tpm_limit: _containers.ScalarMap[str, int]
    permissions: _struct_pb2.Struct
    key_type: str
    updated_at: _timestamp_pb2.Timestamp
    created_by: str
    updated_by: str
    duration: str
    def __init__(self, key: _Optional[str] = ..., token: _Optional[str] = ..., key_alias: _Optional[str] = ..., key_name: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., aliases: _Optional[_Mapping[str, str]] = ..., max_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., soft_budget: _Optional[float] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., tool_rpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ..., team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., allowed_routes: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., spend: _Optional[float] = ..., expires: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_rpm_limit: _Optional[_Mapping[str, int]] = ..., model_tpm_limit: _Optional[_Mapping[str, int]] = ..., permissions: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., key_type: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., updated_by: _Optional[str] = ..., duration: _Optional[str] = ...) -> None: ...

class GenerateKeyRequest(_message.Message):
    __slots__ = ("key", "key_alias", "duration", "models", "aliases", "max_budget", "budget_duration", "soft_budget", "tpm_limit", "rpd_limit", "tpd_limit", "tool_rpm_limit", "rpm_limit", "max_parallel_requests", "metadata", "tags", "team_id", "user_id", "organization_id", "allowed_routes", "blocked", "spend", "object_permission", "model_max_budget", "model_rpm_limit", "model_tpm_limit", "permissions", "key_type")
    class AliasesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ModelRpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ModelTpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOOL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ROUTES_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MODEL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    KEY_TYPE_FIELD_NUMBER: _ClassVar[int]
    key: str
    key_alias: str
    duration: str
    models: _containers.RepeatedScalarFieldContainer[str]
    aliases: _containers.ScalarMap[str, str]
    max_budget: float
    budget_duration: str
    soft_budget: float
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    tool_rpm_limit: int
    rpm_limit: int
    max_parallel_requests: int
    metadata: _struct_pb2.Struct
    tags: _containers.RepeatedScalarFieldContainer[str]
    team_id: str
    user_id: str
    organization_id: str
    allowed_routes: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    spend: float
    object_permission: _struct_pb2.Struct
    model_max_budget: _struct_pb2.Struct
    model_rpm_limit: _containers.ScalarMap[str, int]
    model_tpm_limit: _containers.ScalarMap[str, int]
    permissions: _struct_pb2.Struct
    key_type: str
    def __init__(self, key: _Optional[str] = ..., key_alias: _Optional[str] = ..., duration: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., aliases: _Optional[_Mapping[str, str]] = ..., max_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., soft_budget: _Optional[float] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., tool_rpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ..., team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., allowed_routes: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., spend: _Optional[float] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_rpm_limit: _Optional[_Mapping[str, int]] = ..., model_tpm_limit: _Optional[_Mapping[str, int]] = ..., permissions: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., key_type: _Optional[str] = ...) -> None: ...

class GenerateKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: Key
    def __init__(self, key: _Optional[_Union[Key, _Mapping]] = ...) -> None: ...

class UpdateKeyRequest(_message.Message):
    __slots__ = ("key", "key_alias", "duration", "models", "aliases", "max_budget", "budget_duration", "soft_budget", "tpm_limit", "rpd_limit", "tpd_limit", "tool_rpm_limit", "rpm_limit", "max_parallel_requests", "metadata", "tags", "team_id", "user_id", "organization_id", "allowed_routes", "blocked", "spend", "object_permission", "clear_fields", "model_max_budget", "model_rpm_limit", "model_tpm_limit", "permissions", "key_type")
    class AliasesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ModelRpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ModelTpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOOL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ROUTES_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MODEL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    KEY_TYPE_FIELD_NUMBER: _ClassVar[int]
    key: str
    key_alias: str
    duration: str
    models: _containers.RepeatedScalarFieldContainer[str]
    aliases: _containers.ScalarMap[str, str]
    max_budget: float
    budget_duration: str
    soft_budget: float
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    tool_rpm_limit: int
    rpm_limit: int
    max_parallel_requests: int
    metadata: _struct_pb2.Struct
    tags: _containers.RepeatedScalarFieldContainer[str]
    team_id: str
    user_id: str
    organization_id: str
    allowed_routes: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    spend: float
    object_permission: _struct_pb2.Struct
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    model_max_budget: _struct_pb2.Struct
    model_rpm_limit: _containers.ScalarMap[str, int]
    model_tpm_limit: _containers.ScalarMap[str, int]
    permissions: _struct_pb2.Struct
    key_type: str
    def __init__(self, key: _Optional[str] = ..., key_alias: _Optional[str] = ..., duration: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., aliases: _Optional[_Mapping[str, str]] = ..., max_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., soft_budget: _Optional[float] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., tool_rpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ..., team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., allowed_routes: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., spend: _Optional[float] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., clear_fields: _Optional[_Iterable[str]] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_rpm_limit: _Optional[_Mapping[str, int]] = ..., model_tpm_limit: _Optional[_Mapping[str, int]] = ..., permissions: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., key_type: _Optional[str] = ...) -> None: ...

class UpdateKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: Key
    def __init__(self, key: _Optional[_Union[Key, _Mapping]] = ...) -> None: ...

class DeleteKeysRequest(_message.Message):
    __slots__ = ("keys", "key_aliases")
    KEYS_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIASES_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedScalarFieldContainer[str]
    key_aliases: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, keys: _Optional[_Iterable[str]] = ..., key_aliases: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteKeysResponse(_message.Message):
    __slots__ = ("deleted_keys",)
    DELETED_KEYS_FIELD_NUMBER: _ClassVar[int]
    deleted_keys: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, deleted_keys: _Optional[_Iterable[str]] = ...) -> None: ...

class GetKeyInfoRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class GetKeyInfoResponse(_message.Message):
    __slots__ = ("key", "info")
    KEY_FIELD_NUMBER: _ClassVar[int]
    INFO_FIELD_NUMBER: _ClassVar[int]
    key: str
    info: Key
    def __init__(self, key: _Optional[str] = ..., info: _Optional[_Union[Key, _Mapping]] = ...) -> None: ...

class ListKeysRequest(_message.Message):
    __slots__ = ("page", "size", "user_id", "team_id", "organization_id", "key_alias", "return_full_object")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    RETURN_FULL_OBJECT_FIELD_NUMBER: _ClassVar[int]
    page: int
    size: int
    user_id: str
    team_id: str
    organization_id: str
    key_alias: str
    return_full_object: bool
    def __init__(self, page: _Optional[int] = ..., size: _Optional[int] = ..., user_id: _Optional[str] = ..., team_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., key_alias: _Optional[str] = ..., return_full_object: _Optional[bool] = ...) -> None: ...

class ListKeysResponse(_message.Message):
    __slots__ = ("keys", "total_count", "current_page", "total_pages")
    KEYS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAGES_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[Key]
    total_count: int
    current_page: int
    total_pages: int
    def __init__(self, keys: _Optional[_Iterable[_Union[Key, _Mapping]]] = ..., total_count: _Optional[int] = ..., current_page: _Optional[int] = ..., total_pages: _Optional[int] = ...) -> None: ...

class RegenerateKeyRequest(_message.Message):
    __slots__ = ("key", "new_key", "key_alias", "duration", "max_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "tool_rpm_limit", "rpm_limit", "metadata", "models", "grace_period", "soft_budget", "max_parallel_requests", "aliases", "tags", "team_id", "user_id", "organization_id", "allowed_routes", "blocked", "spend", "object_permission", "model_max_budget", "model_rpm_limit", "model_tpm_limit", "permissions", "key_type", "clear_fields")
    class AliasesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ModelRpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ModelTpmLimitEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    KEY_FIELD_NUMBER: _ClassVar[int]
    NEW_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOOL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    GRACE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ROUTES_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MODEL_RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    KEY_TYPE_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    key: str
    new_key: str
    key_alias: str
    duration: str
    max_budget: float
    budget_duration: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    tool_rpm_limit: int
    rpm_limit: int
    metadata: _struct_pb2.Struct
    models: _containers.RepeatedScalarFieldContainer[str]
    grace_period: str
    soft_budget: float
    max_parallel_requests: int
    aliases: _containers.ScalarMap[str, str]
    tags: _containers.RepeatedScalarFieldContainer[str]
    team_id: str
    user_id: str
    organization_id: str
    allowed_routes: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    spend: float
    object_permission: _struct_pb2.Struct
    model_max_budget: _struct_pb2.Struct
    model_rpm_limit: _containers.ScalarMap[str, int]
    model_tpm_limit: _containers.ScalarMap[str, int]
    permissions: _struct_pb2.Struct
    key_type: str
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, key: _Optional[str] = ..., new_key: _Optional[str] = ..., key_alias: _Optional[str] = ..., duration: _Optional[str] = ..., max_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., tool_rpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., models: _Optional[_Iterable[str]] = ..., grace_period: _Optional[str] = ..., soft_budget: _Optional[float] = ..., max_parallel_requests: _Optional[int] = ..., aliases: _Optional[_Mapping[str, str]] = ..., tags: _Optional[_Iterable[str]] = ..., team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., allowed_routes: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., spend: _Optional[float] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_rpm_limit: _Optional[_Mapping[str, int]] = ..., model_tpm_limit: _Optional[_Mapping[str, int]] = ..., permissions: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., key_type: _Optional[str] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class RegenerateKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: Key
    def __init__(self, key: _Optional[_Union[Key, _Mapping]] = ...) -> None: ...

class BlockKeyRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class BlockKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: Key
    def __init__(self, key: _Optional[_Union[Key, _Mapping]] = ...) -> None: ...

class UnblockKeyRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class UnblockKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: Key
    def __init__(self, key: _Optional[_Union[Key, _Mapping]] = ...) -> None: ...
