from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from tollgate.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NewTeamRequest(_message.Message):
    __slots__ = ("team_id", "team_alias", "organization_id", "members_with_roles", "metadata", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "max_budget", "soft_budget", "budget_duration", "models", "blocked", "model_aliases", "tags", "object_permission")
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
    MODELS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    MODEL_ALIASES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    team_alias: str
    organization_id: str
    members_with_roles: _containers.RepeatedCompositeFieldContainer[_directory_pb2.TeamMember]
    metadata: _struct_pb2.Struct
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    max_budget: float
    soft_budget: float
    budget_duration: str
    models: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    model_aliases: _containers.ScalarMap[str, str]
    tags: _containers.RepeatedScalarFieldContainer[str]
    object_permission: _struct_pb2.Struct
    def __init__(self, team_id: _Optional[str] = ..., team_alias: _Optional[str] = ..., organization_id: _Optional[str] = ..., members_with_roles: _Optional[_Iterable[_Union[_directory_pb2.TeamMember, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., model_aliases: _Optional[_Mapping[str, str]] = ..., tags: _Optional[_Iterable[str]] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class NewTeamResponse(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: _directory_pb2.Team
    def __init__(self, team: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ...) -> None: ...

class UpdateTeamRequest(_message.Message):
    __slots__ = ("team_id", "team_alias", "organization_id", "metadata", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "max_budget", "soft_budget", "budget_duration", "models", "blocked", "tags", "model_aliases", "object_permission", "clear_fields")
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
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    MODEL_ALIASES_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    team_alias: str
    organization_id: str
    metadata: _struct_pb2.Struct
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    max_budget: float
    soft_budget: float
    budget_duration: str
    models: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    tags: _containers.RepeatedScalarFieldContainer[str]
    model_aliases: _containers.ScalarMap[str, str]
    object_permission: _struct_pb2.Struct
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, team_id: _Optional[str] = ..., team_alias: _Optional[str] = ..., organization_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., tags: _Optional[_Iterable[str]] = ..., model_aliases: _Optional[_Mapping[str, str]] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateTeamResponse(_message.Message):
    __slots__ = ("team_id", "data")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    data: _directory_pb2.Team
    def __init__(self, team_id: _Optional[str] = ..., data: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ...) -> None: ...

class DeleteTeamsRequest(_message.Message):
    __slots__ = ("team_ids",)
    TEAM_IDS_FIELD_NUMBER: _ClassVar[int]
    team_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, team_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteTeamsResponse(_message.Message):
    __slots__ = ("deleted_teams", "deleted_keys")
    DELETED_TEAMS_FIELD_NUMBER: _ClassVar[int]
    DELETED_KEYS_FIELD_NUMBER: _ClassVar[int]
    deleted_teams: _containers.RepeatedScalarFieldContainer[str]
    deleted_keys: int
    def __init__(self, deleted_teams: _Optional[_Iterable[str]] = ..., deleted_keys: _Optional[int] = ...) -> None: ...

class GetTeamInfoRequest(_message.Message):
    __slots__ = ("team_id",)
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    def __init__(self, team_id: _Optional[str] = ...) -> None: ...

class GetTeamInfoResponse(_message.Message):
    __slots__ = ("team_id", "team_info", "keys", "team_memberships")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_INFO_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    TEAM_MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    team_info: _directory_pb2.Team
    keys: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    team_memberships: _containers.RepeatedCompositeFieldContainer[_directory_pb2.TeamMembership]
    def __init__(self, team_id: _Optional[str] = ..., team_info: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ..., keys: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ..., team_memberships: _Optional[_Iterable[_Union[_directory_pb2.TeamMembership, _Mapping]]] = ...) -> None: ...

class ListTeamsRequest(_message.Message):
    __slots__ = ("user_id", "organization_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organization_id: str
    def __init__(self, user_id: _Optional[str] = ..., organization_id: _Optional[str] = ...) -> None: ...

class TeamListEntry(_message.Message):
    __slots__ = ("team", "team_memberships", "keys")
    TEAM_FIELD_NUMBER: _ClassVar[int]
    TEAM_MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    team: _directory_pb2.Team
    team_memberships: _containers.RepeatedCompositeFieldContainer[_directory_pb2.TeamMembership]
    keys: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    def __init__(self, team: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ..., team_memberships: _Optional[_Iterable[_Union[_directory_pb2.TeamMembership, _Mapping]]] = ..., keys: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ...) -> None: ...

class ListTeamsResponse(_message.Message):
    __slots__ = ("teams",)
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    teams: _containers.RepeatedCompositeFieldContainer[TeamListEntry]
    def __init__(self, teams: _Optional[_Iterable[_Union[TeamListEntry, _Mapping]]] = ...) -> None: ...

class AddTeamMembersRequest(_message.Message):
    __slots__ = ("team_id", "member", "max_budget_in_team")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    member: _containers.RepeatedCompositeFieldContainer[_directory_pb2.TeamMember]
    max_budget_in_team: float
    def __init__(self, team_id: _Optional[str] = ..., member: _Optional[_Iterable[_Union[_directory_pb2.TeamMember, _Mapping]]] = ..., max_budget_in_team: _Optional[float] = ...) -> None: ...

class AddTeamMembersResponse(_message.Message):
    __slots__ = ("team", "updated_users", "updated_team_memberships")
    TEAM_FIELD_NUMBER: _ClassVar[int]
    UPDATED_USERS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TEAM_MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    team: _directory_pb2.Team
    updated_users: _containers.RepeatedCompositeFieldContainer[_directory_pb2.User]
    updated_team_memberships: _containers.RepeatedCompositeFieldContainer[_directory_pb2.TeamMembership]
    def __init__(self, team: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ..., updated_users: _Optional[_Iterable[_Union[_directory_pb2.User, _Mapping]]] = ..., updated_team_memberships: _Optional[_Iterable[_Union[_directory_pb2.TeamMembership, _Mapping]]] = ...) -> None: ...

class RemoveTeamMemberRequest(_message.Message):
    __slots__ = ("team_id", "user_id", "user_email")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    user_email: str
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., user_email: _Optional[str] = ...) -> None: ...

class RemoveTeamMemberResponse(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: _directory_pb2.Team
    def __init__(self, team: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ...) -> None: ...

class UpdateTeamMemberRequest(_message.Message):
    __slots__ = ("team_id", "user_id", "user_email", "role", "max_budget_in_team", "clear_fields")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    user_email: str
    role: _directory_pb2.TeamRole
    max_budget_in_team: float
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., role: _Optional[_Union[_directory_pb2.TeamRole, str]] = ..., max_budget_in_team: _Optional[float] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateTeamMemberResponse(_message.Message):
    __slots__ = ("team_id", "user_id", "user_email", "max_budget_in_team", "role")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    user_email: str
    max_budget_in_team: float
    role: _directory_pb2.TeamRole
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., max_budget_in_team: _Optional[float] = ..., role: _Optional[_Union[_directory_pb2.TeamRole, str]] = ...) -> None: ...

class BlockTeamRequest(_message.Message):
    __slots__ = ("team_id",)
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    def __init__(self, team_id: _Optional[str] = ...) -> None: ...

class BlockTeamResponse(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: _directory_pb2.Team
    def __init__(self, team: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ...) -> None: ...

class UnblockTeamRequest(_message.Message):
    __slots__ = ("team_id",)
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    def __init__(self, team_id: _Optional[str] = ...) -> None: ...

class UnblockTeamResponse(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: _directory_pb2.Team
    def __init__(self, team: _Optional[_Union[_directory_pb2.Team, _Mapping]] = ...) -> None: ...
