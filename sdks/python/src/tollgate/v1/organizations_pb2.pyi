from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from tollgate.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Organization(_message.Message):
    __slots__ = ("organization_id", "organization_alias", "spend", "metadata", "models", "blocked", "max_budget", "soft_budget", "budget_duration", "budget_reset_at", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "object_permission", "members", "teams", "created_at", "updated_at", "created_by", "updated_by")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ALIAS_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    organization_alias: str
    spend: float
    metadata: _struct_pb2.Struct
    models: _containers.RepeatedScalarFieldContainer[str]
    blocked: bool
    max_budget: float
    soft_budget: float
    budget_duration: str
    budget_reset_at: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    object_permission: _struct_pb2.Struct
    members: _containers.RepeatedCompositeFieldContainer[_directory_pb2.OrganizationMembership]
    teams: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Team]
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    def __init__(self, organization_id: _Optional[str] = ..., organization_alias: _Optional[str] = ..., spend: _Optional[float] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., models: _Optional[_Iterable[str]] = ..., blocked: _Optional[bool] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., members: _Optional[_Iterable[_Union[_directory_pb2.OrganizationMembership, _Mapping]]] = ..., teams: _Optional[_Iterable[_Union[_directory_pb2.Team, _Mapping]]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., created_by: _Optional[str] = ..., updated_by: _Optional[str] = ...) -> None: ...

class NewOrganizationRequest(_message.Message):
    __slots__ = ("organization_id", "organization_alias", "models", "metadata", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "object_permission", "blocked")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ALIAS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    organization_alias: str
    models: _containers.RepeatedScalarFieldContainer[str]
    metadata: _struct_pb2.Struct
    max_budget: float
    soft_budget: float
    budget_duration: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    object_permission: _struct_pb2.Struct
    blocked: bool
    def __init__(self, organization_id: _Optional[str] = ..., organization_alias: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., blocked: _Optional[bool] = ...) -> None: ...

class NewOrganizationResponse(_message.Message):
    __slots__ = ("organization",)
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    organization: Organization
    def __init__(self, organization: _Optional[_Union[Organization, _Mapping]] = ...) -> None: ...

class UpdateOrganizationRequest(_message.Message):
    __slots__ = ("organization_id", "organization_alias", "models", "metadata", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "object_permission", "blocked", "clear_fields")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ALIAS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    organization_alias: str
    models: _containers.RepeatedScalarFieldContainer[str]
    metadata: _struct_pb2.Struct
    max_budget: float
    soft_budget: float
    budget_duration: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    object_permission: _struct_pb2.Struct
    blocked: bool
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, organization_id: _Optional[str] = ..., organization_alias: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., object_permission: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., blocked: _Optional[bool] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateOrganizationResponse(_message.Message):
    __slots__ = ("organization",)
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    organization: Organization
    def __init__(self, organization: _Optional[_Union[Organization, _Mapping]] = ...) -> None: ...

class DeleteOrganizationsRequest(_message.Message):
    __slots__ = ("organization_ids",)
    ORGANIZATION_IDS_FIELD_NUMBER: _ClassVar[int]
    organization_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, organization_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteOrganizationsResponse(_message.Message):
    __slots__ = ("organizations",)
    ORGANIZATIONS_FIELD_NUMBER: _ClassVar[int]
    organizations: _containers.RepeatedCompositeFieldContainer[Organization]
    def __init__(self, organizations: _Optional[_Iterable[_Union[Organization, _Mapping]]] = ...) -> None: ...

class GetOrganizationInfoRequest(_message.Message):
    __slots__ = ("organization_id",)
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    def __init__(self, organization_id: _Optional[str] = ...) -> None: ...

class GetOrganizationInfoResponse(_message.Message):
    __slots__ = ("organization",)
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    organization: Organization
    def __init__(self, organization: _Optional[_Union[Organization, _Mapping]] = ...) -> None: ...

class ListOrganizationsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListOrganizationsResponse(_message.Message):
    __slots__ = ("organizations",)
    ORGANIZATIONS_FIELD_NUMBER: _ClassVar[int]
    organizations: _containers.RepeatedCompositeFieldContainer[Organization]
    def __init__(self, organizations: _Optional[_Iterable[_Union[Organization, _Mapping]]] = ...) -> None: ...

class OrganizationMember(_message.Message):
    __slots__ = ("user_id", "user_email", "role")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_email: str
    role: str
    def __init__(self, user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class AddOrganizationMembersRequest(_message.Message):
    __slots__ = ("organization_id", "member", "max_budget_in_organization")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_IN_ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    member: _containers.RepeatedCompositeFieldContainer[OrganizationMember]
    max_budget_in_organization: float
    def __init__(self, organization_id: _Optional[str] = ..., member: _Optional[_Iterable[_Union[OrganizationMember, _Mapping]]] = ..., max_budget_in_organization: _Optional[float] = ...) -> None: ...

class AddOrganizationMembersResponse(_message.Message):
    __slots__ = ("organization_id", "updated_users", "updated_organization_memberships")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATED_USERS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_ORGANIZATION_MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    updated_users: _containers.RepeatedCompositeFieldContainer[_directory_pb2.User]
    updated_organization_memberships: _containers.RepeatedCompositeFieldContainer[_directory_pb2.OrganizationMembership]
    def __init__(self, organization_id: _Optional[str] = ..., updated_users: _Optional[_Iterable[_Union[_directory_pb2.User, _Mapping]]] = ..., updated_organization_memberships: _Optional[_Iterable[_Union[_directory_pb2.OrganizationMembership, _Mapping]]] = ...) -> None: ...
