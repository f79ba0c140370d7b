from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from tollgate.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NewUserTeam(_message.Message):
    __slots__ = ("team_id", "max_budget_in_team", "role")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    max_budget_in_team: float
    role: _directory_pb2.TeamRole
    def __init__(self, team_id: _Optional[str] = ..., max_budget_in_team: _Optional[float] = ..., role: _Optional[_Union[_directory_pb2.TeamRole, str]] = ...) -> None: ...

class NewUserRequest(_message.Message):
    __slots__ = ("user_id", "user_email", "user_alias", "user_role", "teams", "team_id", "organizations", "auto_create_key", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "models", "metadata", "key_alias", "duration", "aliases")
    class AliasesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    USER_ALIAS_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATIONS_FIELD_NUMBER: _ClassVar[int]
    AUTO_CREATE_KEY_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_email: str
    user_alias: str
    user_role: _directory_pb2.UserRole
    teams: _containers.RepeatedCompositeFieldContainer[NewUserTeam]
    team_id: str
    organizations: _containers.RepeatedScalarFieldContainer[str]
    auto_create_key: bool
    max_budget: float
    soft_budget: float
    budget_duration: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    models: _containers.RepeatedScalarFieldContainer[str]
    metadata: _struct_pb2.Struct
    key_alias: str
    duration: str
    aliases: _containers.ScalarMap[str, str]
    def __init__(self, user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., user_alias: _Optional[str] = ..., user_role: _Optional[_Union[_directory_pb2.UserRole, str]] = ..., teams: _Optional[_Iterable[_Union[NewUserTeam, _Mapping]]] = ..., team_id: _Optional[str] = ..., organizations: _Optional[_Iterable[str]] = ..., auto_create_key: _Optional[bool] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., models: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., key_alias: _Optional[str] = ..., duration: _Optional[str] = ..., aliases: _Optional[_Mapping[str, str]] = ...) -> None: ...

class NewUserResponse(_message.Message):
    __slots__ = ("user", "key", "key_name", "key_alias", "expires", "duration", "token_id")
    USER_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    user: _directory_pb2.User
    key: str
    key_name: str
    key_alias: str
    expires: str
    duration: str
    token_id: str
    def __init__(self, user: _Optional[_Union[_directory_pb2.User, _Mapping]] = ..., key: _Optional[str] = ..., key_name: _Optional[str] = ..., key_alias: _Optional[str] = ..., expires: _Optional[str] = ..., duration: _Optional[str] = ..., token_id: _Optional[str] = ...) -> None: ...

class GetUserInfoRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetUserInfoResponse(_message.Message):
    __slots__ = ("user_id", "user_info", "keys", "teams")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_INFO_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_info: _directory_pb2.User
    keys: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    teams: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Team]
    def __init__(self, user_id: _Optional[str] = ..., user_info: _Optional[_Union[_directory_pb2.User, _Mapping]] = ..., keys: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ..., teams: _Optional[_Iterable[_Union[_directory_pb2.Team, _Mapping]]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("user_id", "user_email", "user_alias", "user_role", "models", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "metadata", "clear_fields")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    USER_ALIAS_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_email: str
    user_alias: str
    user_role: _directory_pb2.UserRole
    models: _containers.RepeatedScalarFieldContainer[str]
    max_budget: float
    soft_budget: float
    budget_duration: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    metadata: _struct_pb2.Struct
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., user_alias: _Optional[str] = ..., user_role: _Optional[_Union[_directory_pb2.UserRole, str]] = ..., models: _Optional[_Iterable[str]] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateUserResponse(_message.Message):
    __slots__ = ("user_id", "data")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    data: _directory_pb2.User
    def __init__(self, user_id: _Optional[str] = ..., data: _Optional[_Union[_directory_pb2.User, _Mapping]] = ...) -> None: ...

class DeleteUsersRequest(_message.Message):
    __slots__ = ("user_ids",)
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteUsersResponse(_message.Message):
    __slots__ = ("deleted_users", "deleted_keys")
    DELETED_USERS_FIELD_NUMBER: _ClassVar[int]
    DELETED_KEYS_FIELD_NUMBER: _ClassVar[int]
    deleted_users: _containers.RepeatedScalarFieldContainer[str]
    deleted_keys: int
    def __init__(self, deleted_users: _Optional[_Iterable[str]] = ..., deleted_keys: _Optional[int] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("role", "user_ids", "user_email", "team", "page", "page_size", "sort_by", "sort_order")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    SORT_ORDER_FIELD_NUMBER: _ClassVar[int]
    role: _directory_pb2.UserRole
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    user_email: str
    team: str
    page: int
    page_size: int
    sort_by: str
    sort_order: str
    def __init__(self, role: _Optional[_Union[_directory_pb2.UserRole, str]] = ..., user_ids: _Optional[_Iterable[str]] = ..., user_email: _Optional[str] = ..., team: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ..., sort_by: _Optional[str] = ..., sort_order: _Optional[str] = ...) -> None: ...

class ListUsersResponse(_message.Message):
    __slots__ = ("users", "total", "page", "page_size", "total_pages")
    USERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAGES_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_directory_pb2.User]
    total: int
    page: int
    page_size: int
    total_pages: int
    def __init__(self, users: _Optional[_Iterable[_Union[_directory_pb2.User, _Mapping]]] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ..., total_pages: _Optional[int] = ...) -> None: ...
