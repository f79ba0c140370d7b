from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TeamRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEAM_ROLE_UNSPECIFIED: _ClassVar[TeamRole]
    TEAM_ROLE_ADMIN: _ClassVar[TeamRole]
    TEAM_ROLE_USER: _ClassVar[TeamRole]

class UserRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    USER_ROLE_UNSPECIFIED: _ClassVar[UserRole]
    USER_ROLE_PROXY_ADMIN: _ClassVar[UserRole]
    USER_ROLE_PROXY_ADMIN_VIEWER: _ClassVar[UserRole]
    USER_ROLE_INTERNAL_USER: _ClassVar[UserRole]
    USER_ROLE_INTERNAL_USER_VIEWER: _ClassVar[UserRole]
TEAM_ROLE_UNSPECIFIED: TeamRole
TEAM_ROLE_ADMIN: TeamRole
TEAM_ROLE_USER: TeamRole
USER_ROLE_UNSPECIFIED: UserRole
USER_ROLE_PROXY_ADMIN: UserRole
USER_ROLE_PROXY_ADMIN_VIEWER: UserRole
USER_ROLE_INTERNAL_USER: UserRole
USER_ROLE_INTERNAL_USER_VIEWER: UserRole

class TeamMember(_message.Message):
    __slots__ = ("user_id", "user_email", "role", "max_budget_in_team")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_email: str
    role: TeamRole
    max_budget_in_team: float
    def __init__(self, user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., role: _Optional[_Union[TeamRole, str]] = ..., max_budget_in_team: _Optional[float] = ...) -> None: ...

class TeamMembership(_message.Message):
    __slots__ = ("user_id", "team_id", "role", "spend", "max_budget_in_team", "created_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    team_id: str
    role: TeamRole
    spend: float
    max_budget_in_team: float
    created_at: str
    def __init__(self, user_id: _Optional[str] = ..., team_id: _Optional[str] = ..., role: _Optional[_Union[TeamRole, str]] = ..., spend: _Optional[float] = ..., max_budget_in_team: _Optional[float] = ..., created_at: _Optional[str] = ...) -> None: ...

class Team(_message.Message):
    __slots__ = ("team_id", "team_alias", "organization_id", "members_with_roles", "metadata", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "max_budget", "soft_budget", "budget_duration", "budget_reset_at", "models", "blocked", "spend", "tags", "model_aliases", "object_permission", "created_at", "updated_at", "created_by", "updated_by")
    class ModelAliasesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ALIAS_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_WITH_ROLES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    MODEL_ALIASES_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    team_alias: str
    organization_id: str
    members_with_roles: _containers.RepeatedCompositeFieldContainer[TeamMember]
    metadata: _struct_pb2.Struct
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    max_budget: float
    soft_budget: float
    budget_duration: str
    budget_reset_at: str
    models: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    spend: float
    tags: _containers.RepeatedScalarFieldContainer[str]
    model_aliases: _containers.ScalarMap[str, str]
    object_permission: _struct_pb2.Struct
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    def __init__(self, team_id: _Optional[str] = ..., team_alias: _Optional[str] = ..., organization_id: _Optional[str] = ..., members_with_roles: _Optional[_Iterable[_Union[TeamMember, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., spend: _Optional[float] = ..., tags: _Optional[_Iterable[str]] = ..., model_aliases: _Optional[_Mapping[str, str]] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., created_by: _Optional[str] = ..., updated_by: _Optional[str] = ...) -> None: ...

class OrganizationMembership(_message.Message):
    __slots__ = ("user_id", "organization_id", "user_role", "spend", "max_budget_in_organization", "user_email", "created_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organization_id: str
    user_role: str
    spend: float
    max_budget_in_organization: float
    user_email: str
    created_at: str
    def __init__(self, user_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., user_role: _Optional[str] = ..., spend: _Optional[float] = ..., max_budget_in_organization: _Optional[float] = ..., user_email: _Optional[str] = ..., created_at: _Optional[str] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("user_id", "user_email", "user_alias", "user_role", "max_budget", "soft_budget", "spend", "models", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "budget_duration", "budget_reset_at", "metadata", "teams", "organization_memberships", "created_at", "updated_at", "created_by", "updated_by", "key_count")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    USER_ALIAS_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    KEY_COUNT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_email: str
    user_alias: str
    user_role: UserRole
    max_budget: float
    soft_budget: float
    spend: float
    models: _containers.RepeatedScalarFieldContainer[str]
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    budget_duration: str
    budget_reset_at: str
    metadata: _struct_pb2.Struct
    teams: _containers.RepeatedScalarFieldContainer[str]
    organization_memberships: _containers.RepeatedCompositeFieldContainer[OrganizationMembership]
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    key_count: int
    def __init__(self, user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., user_alias: _Optional[str] = ..., user_role: _Optional[_Union[UserRole, str]] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., spend: _Optional[float] = ..., models: _Optional[_Iterable[str]] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., teams: _Optional[_Iterable[str]] = ..., organization_memberships: _Optional[_Iterable[_Union[OrganizationMembership, _Mapping]]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., created_by: _Optional[str] = ..., updated_by: _Optional[str] = ..., key_count: _Optional[int] = ...) -> None: ...
