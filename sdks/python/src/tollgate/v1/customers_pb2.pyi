from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Customer(_message.Message):
    __slots__ = ("user_id", "alias", "blocked", "spend", "allowed_model_region", "default_model", "budget_id", "max_budget", "soft_budget", "budget_duration", "budget_reset_at", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "metadata", "created_at", "updated_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_MODEL_REGION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_MODEL_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    alias: str
    blocked: bool
    spend: float
    allowed_model_region: str
    default_model: str
    budget_id: str
    max_budget: float
    soft_budget: float
    budget_duration: str
    budget_reset_at: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    metadata: _struct_pb2.Struct
    created_at: str
    updated_at: str
    def __init__(self, user_id: _Optional[str] = ..., alias: _Optional[str] = ..., blocked: _Optional[bool] = ..., spend: _Optional[float] = ..., allowed_model_region: _Optional[str] = ..., default_model: _Optional[str] = ..., budget_id: _Optional[str] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class NewCustomerRequest(_message.Message):
    __slots__ = ("user_id", "alias", "blocked", "budget_id", "spend", "allowed_model_region", "default_model", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "metadata")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_MODEL_REGION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_MODEL_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TPD_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    alias: str
    blocked: bool
    budget_id: str
    spend: float
    allowed_model_region: str
    default_model: str
    max_budget: float
    soft_budget: float
    budget_duration: str
    tpm_limit: int
    rpd_limit: int
    tpd_limit: int
    rpm_limit: int
    max_parallel_requests: int
    metadata: _struct_pb2.Struct
    def __init__(self, user_id: _Optional[str] = ..., alias: _Optional[str] = ..., blocked: _Optional[bool] = ..., budget_id: _Optional[str] = ..., spend: _Optional[float] = ..., allowed_model_region: _Optional[str] = ..., default_model: _Optional[str] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class NewCustomerResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class GetCustomerInfoRequest(_message.Message):
    __slots__ = ("end_user_id",)
    END_USER_ID_FIELD_NUMBER: _ClassVar[int]
    end_user_id: str
    def __init__(self, end_user_id: _Optional[str] = ...) -> None: ...

class GetCustomerInfoResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class UpdateCustomerRequest(_message.Message):
    __slots__ = ("user_id", "alias", "blocked", "budget_id", "allowed_model_region", "default_model", "max_budget", "soft_budget", "budget_duration", "tpm_limit", "rpd_limit", "tpd_limit", "rpm_limit", "max_parallel_requests", "metadata", "clear_fields")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_MODEL_REGION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_MODEL_FIELD_NUMBER: _ClassVar[int]
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
    alias: str
    blocked: bool
    budget_id: str
    allowed_model_region: str
    default_model: str
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
    def __init__(self, user_id: _Optional[str] = ..., alias: _Optional[str] = ..., blocked: _Optional[bool] = ..., budget_id: _Optional[str] = ..., allowed_model_region: _Optional[str] = ..., default_model: _Optional[str] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., budget_duration: _Optional[str] = ..., tpm_limit: _Optional[int] = ..., rpd_limit: _Optional[int] = ..., tpd_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., max_parallel_requests: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateCustomerResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class DeleteCustomersRequest(_message.Message):
    __slots__ = ("user_ids",)
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteCustomersResponse(_message.Message):
    __slots__ = ("deleted_customers", "message")
    DELETED_CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    deleted_customers: int
    message: str
    def __init__(self, deleted_customers: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class ListCustomersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCustomersResponse(_message.Message):
    __slots__ = ("customers",)
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[Customer]
    def __init__(self, customers: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ...) -> None: ...

class BlockCustomersRequest(_message.Message):
    __slots__ = ("user_ids",)
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class BlockCustomersResponse(_message.Message):
    __slots__ = ("blocked_users",)
    BLOCKED_USERS_FIELD_NUMBER: _ClassVar[int]
    blocked_users: _containers.RepeatedCompositeFieldContainer[Customer]
    def __init__(self, blocked_users: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ...) -> None: ...

class UnblockCustomersRequest(_message.Message):
    __slots__ = ("user_ids",)
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class UnblockCustomersResponse(_message.Message):
    __slots__ = ("blocked_users", "unblocked_users")
    BLOCKED_USERS_FIELD_NUMBER: _ClassVar[int]
    UNBLOCKED_USERS_FIELD_NUMBER: _ClassVar[int]
    blocked_users: _containers.RepeatedScalarFieldContainer[str]
    unblocked_users: _containers.RepeatedCompositeFieldContainer[Customer]
    def __init__(self, blocked_users: _Optional[_Iterable[str]] = ..., unblocked_users: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ...) -> None: ...
