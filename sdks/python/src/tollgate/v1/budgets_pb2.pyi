from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Budget(_message.Message):
    __slots__ = ("budget_id", "max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget", "budget_duration", "budget_reset_at", "created_at", "created_by", "updated_at", "updated_by")
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    budget_id: str
    max_budget: float
    soft_budget: float
    max_parallel_requests: int
    tpm_limit: int
    rpm_limit: int
    model_max_budget: _struct_pb2.Struct
    budget_duration: str
    budget_reset_at: str
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    def __init__(self, budget_id: _Optional[str] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., max_parallel_requests: _Optional[int] = ..., tpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[str] = ..., created_at: _Optional[str] = ..., created_by: _Optional[str] = ..., updated_at: _Optional[str] = ..., updated_by: _Optional[str] = ...) -> None: ...

class BudgetLimits(_message.Message):
    __slots__ = ("max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget", "budget_duration")
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    max_budget: float
    soft_budget: float
    max_parallel_requests: int
    tpm_limit: int
    rpm_limit: int
    model_max_budget: _struct_pb2.Struct
    budget_duration: str
    def __init__(self, max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., max_parallel_requests: _Optional[int] = ..., tpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., budget_duration: _Optional[str] = ...) -> None: ...

class NewBudgetRequest(_message.Message):
    __slots__ = ("budget_id", "limits", "budget_reset_at")
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    budget_id: str
    limits: BudgetLimits
    budget_reset_at: str
    def __init__(self, budget_id: _Optional[str] = ..., limits: _Optional[_Union[BudgetLimits, _Mapping]] = ..., budget_reset_at: _Optional[str] = ...) -> None: ...

class NewBudgetResponse(_message.Message):
    __slots__ = ("budget",)
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    budget: Budget
    def __init__(self, budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class GetBudgetInfoRequest(_message.Message):
    __slots__ = ("budgets",)
    BUDGETS_FIELD_NUMBER: _ClassVar[int]
    budgets: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, budgets: _Optional[_Iterable[str]] = ...) -> None: ...

class GetBudgetInfoResponse(_message.Message):
    __slots__ = ("budgets",)
    BUDGETS_FIELD_NUMBER: _ClassVar[int]
    budgets: _containers.RepeatedCompositeFieldContainer[Budget]
    def __init__(self, budgets: _Optional[_Iterable[_Union[Budget, _Mapping]]] = ...) -> None: ...

class UpdateBudgetRequest(_message.Message):
    __slots__ = ("budget_id", "max_budget", "soft_budget", "max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget", "budget_duration", "budget_reset_at", "clear_fields")
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    SOFT_BUDGET_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    TPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    RPM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_DURATION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_AT_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    budget_id: str
    max_budget: float
    soft_budget: float
    max_parallel_requests: int
    tpm_limit: int
    rpm_limit: int
    model_max_budget: _struct_pb2.Struct
    budget_duration: str
    budget_reset_at: str
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, budget_id: _Optional[str] = ..., max_budget: _Optional[float] = ..., soft_budget: _Optional[float] = ..., max_parallel_requests: _Optional[int] = ..., tpm_limit: _Optional[int] = ..., rpm_limit: _Optional[int] = ..., model_max_budget: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., budget_duration: _Optional[str] = ..., budget_reset_at: _Optional[str] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateBudgetResponse(_message.Message):
    __slots__ = ("budget",)
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    budget: Budget
    def __init__(self, budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class DeleteBudgetRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteBudgetResponse(_message.Message):
    __slots__ = ("budget",)
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    budget: Budget
    def __init__(self, budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class ListBudgetsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListBudgetsResponse(_message.Message):
    __slots__ = ("budgets",)
    BUDGETS_FIELD_NUMBER: _ClassVar[int]
    budgets: _containers.RepeatedCompositeFieldContainer[Budget]
    def __init__(self, budgets: _Optional[_Iterable[_Union[Budget, _Mapping]]] = ...) -> None: ...

class Tag(_message.Message):
    __slots__ = ("name", "description", "models", "created_at", "updated_at", "created_by", "budget_id", "spend", "budget")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    models: _containers.RepeatedScalarFieldContainer[str]
    created_at: str
    updated_at: str
    created_by: str
    budget_id: str
    spend: float
    budget: Budget
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., created_by: _Optional[str] = ..., budget_id: _Optional[str] = ..., spend: _Optional[float] = ..., budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class NewTagRequest(_message.Message):
    __slots__ = ("name", "description", "models", "budget_id", "limits")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    models: _containers.RepeatedScalarFieldContainer[str]
    budget_id: str
    limits: BudgetLimits
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., budget_id: _Optional[str] = ..., limits: _Optional[_Union[BudgetLimits, _Mapping]] = ...) -> None: ...

class NewTagResponse(_message.Message):
    __slots__ = ("message", "tag")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    message: str
    tag: Tag
    def __init__(self, message: _Optional[str] = ..., tag: _Optional[_Union[Tag, _Mapping]] = ...) -> None: ...

class GetTagInfoRequest(_message.Message):
    __slots__ = ("names",)
    NAMES_FIELD_NUMBER: _ClassVar[int]
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, names: _Optional[_Iterable[str]] = ...) -> None: ...

class GetTagInfoResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class UpdateTagRequest(_message.Message):
    __slots__ = ("name", "description", "models", "budget_id", "limits", "clear_fields")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ID_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    models: _containers.RepeatedScalarFieldContainer[str]
    budget_id: str
    limits: BudgetLimits
    clear_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., budget_id: _Optional[str] = ..., limits: _Optional[_Union[BudgetLimits, _Mapping]] = ..., clear_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateTagResponse(_message.Message):
    __slots__ = ("message", "tag")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    message: str
    tag: Tag
    def __init__(self, message: _Optional[str] = ..., tag: _Optional[_Union[Tag, _Mapping]] = ...) -> None: ...

class DeleteTagRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteTagResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: str
    def __init__(self, message: _Optional[str] = ...) -> None: ...

class ListTagsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...
