import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SpendReportGroupBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SPEND_REPORT_GROUP_BY_UNSPECIFIED: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_TEAM: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_CUSTOMER: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_API_KEY: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_KEY: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_USER: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_MODEL: _ClassVar[SpendReportGroupBy]
    SPEND_REPORT_GROUP_BY_TAG: _ClassVar[SpendReportGroupBy]
SPEND_REPORT_GROUP_BY_UNSPECIFIED: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_TEAM: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_CUSTOMER: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_API_KEY: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_KEY: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_USER: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_MODEL: SpendReportGroupBy
SPEND_REPORT_GROUP_BY_TAG: SpendReportGroupBy

class GetSpendLogsRequest(_message.Message):
    __slots__ = ("api_key", "user_id", "team_id", "end_user", "request_id", "start_date", "end_date", "page", "page_size")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    END_USER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    user_id: str
    team_id: str
    end_user: str
    request_id: str
    start_date: str
    end_date: str
    page: int
    page_size: int
    def __init__(self, api_key: _Optional[str] = ..., user_id: _Optional[str] = ..., team_id: _Optional[str] = ..., end_user: _Optional[str] = ..., request_id: _Optional[str] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class GetSpendLogsResponse(_message.Message):
    __slots__ = ("logs", "total", "page", "page_size", "total_pages")
    LOGS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAGES_FIELD_NUMBER: _ClassVar[int]
    logs: _containers.RepeatedCompositeFieldContainer[SpendLog]
    total: int
    page: int
    page_size: int
    total_pages: int
    def __init__(self, logs: _Optional[_Iterable[_Union[SpendLog, _Mapping]]] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ..., total_pages: _Optional[int] = ...) -> None: ...

class SpendLog(_message.Message):
    __slots__ = ("request_id", "api_key", "team_id", "user", "end_user", "model", "model_id", "prompt_tokens", "completion_tokens", "total_tokens", "spend", "latency_ms", "status", "request_tags", "cache_hit", "started_at", "ended_at", "model_group", "custom_llm_provider", "call_type", "route", "key_alias", "organization_id", "cached_tokens", "error_type", "api_base", "metadata", "messages", "response")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    END_USER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TAGS_FIELD_NUMBER: _ClassVar[int]
    CACHE_HIT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    MODEL_GROUP_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_LLM_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CALL_TYPE_FIELD_NUMBER: _ClassVar[int]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    KEY_ALIAS_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CACHED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    ERROR_TYPE_FIELD_NUMBER: _ClassVar[int]
    API_BASE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    api_key: str
    team_id: str
    user: str
    end_user: str
    model: str
    model_id: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    spend: float
    latency_ms: int
    status: str
    request_tags: _containers.RepeatedScalarFieldContainer[str]
    cache_hit: bool
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    model_group: str
    custom_llm_provider: str
    call_type: str
    route: str
    key_alias: str
    organization_id: str
    cached_tokens: int
    error_type: str
    api_base: str
    metadata: _struct_pb2.Struct
    messages: _struct_pb2.Value
    response: _struct_pb2.Value
    def __init__(self, request_id: _Optional[str] = ..., api_key: _Optional[str] = ..., team_id: _Optional[str] = ..., user: _Optional[str] = ..., end_user: _Optional[str] = ..., model: _Optional[str] = ..., model_id: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., total_tokens: _Optional[int] = ..., spend: _Optional[float] = ..., latency_ms: _Optional[int] = ..., status: _Optional[str] = ..., request_tags: _Optional[_Iterable[str]] = ..., cache_hit: _Optional[bool] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., model_group: _Optional[str] = ..., custom_llm_provider: _Optional[str] = ..., call_type: _Optional[str] = ..., route: _Optional[str] = ..., key_alias: _Optional[str] = ..., organization_id: _Optional[str] = ..., cached_tokens: _Optional[int] = ..., error_type: _Optional[str] = ..., api_base: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., messages: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., response: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class GetSpendTagsRequest(_message.Message):
    __slots__ = ("start_date", "end_date", "tags")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    start_date: str
    end_date: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class GetSpendTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[TagSpend]
    def __init__(self, tags: _Optional[_Iterable[_Union[TagSpend, _Mapping]]] = ...) -> None: ...

class TagSpend(_message.Message):
    __slots__ = ("individual_request_tag", "log_count", "total_spend")
    INDIVIDUAL_REQUEST_TAG_FIELD_NUMBER: _ClassVar[int]
    LOG_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SPEND_FIELD_NUMBER: _ClassVar[int]
    individual_request_tag: str
    log_count: int
    total_spend: float
    def __init__(self, individual_request_tag: _Optional[str] = ..., log_count: _Optional[int] = ..., total_spend: _Optional[float] = ...) -> None: ...

class GetGlobalSpendRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetGlobalSpendResponse(_message.Message):
    __slots__ = ("spend", "max_budget")
    SPEND_FIELD_NUMBER: _ClassVar[int]
    MAX_BUDGET_FIELD_NUMBER: _ClassVar[int]
    spend: float
    max_budget: float
    def __init__(self, spend: _Optional[float] = ..., max_budget: _Optional[float] = ...) -> None: ...

class GetGlobalSpendReportRequest(_message.Message):
    __slots__ = ("start_date", "end_date", "group_by", "api_key", "team_id", "customer_id", "internal_user_id", "model")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_USER_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    start_date: str
    end_date: str
    group_by: SpendReportGroupBy
    api_key: str
    team_id: str
    customer_id: str
    internal_user_id: str
    model: str
    def __init__(self, start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., group_by: _Optional[_Union[SpendReportGroupBy, str]] = ..., api_key: _Optional[str] = ..., team_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., internal_user_id: _Optional[str] = ..., model: _Optional[str] = ...) -> None: ...

class GetGlobalSpendReportResponse(_message.Message):
    __slots__ = ("days", "keys")
    DAYS_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    days: _containers.RepeatedCompositeFieldContainer[SpendReportDay]
    keys: _containers.RepeatedCompositeFieldContainer[KeySpendReport]
    def __init__(self, days: _Optional[_Iterable[_Union[SpendReportDay, _Mapping]]] = ..., keys: _Optional[_Iterable[_Union[KeySpendReport, _Mapping]]] = ...) -> None: ...

class SpendReportDay(_message.Message):
    __slots__ = ("group_by_day", "groups")
    GROUP_BY_DAY_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    group_by_day: str
    groups: _containers.RepeatedCompositeFieldContainer[SpendReportGroup]
    def __init__(self, group_by_day: _Optional[str] = ..., groups: _Optional[_Iterable[_Union[SpendReportGroup, _Mapping]]] = ...) -> None: ...

class SpendReportGroup(_message.Message):
    __slots__ = ("name", "total_spend", "models", "id", "requests", "prompt_tokens", "completion_tokens")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SPEND_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    name: str
    total_spend: float
    models: _containers.RepeatedCompositeFieldContainer[ModelSpend]
    id: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    def __init__(self, name: _Optional[str] = ..., total_spend: _Optional[float] = ..., models: _Optional[_Iterable[_Union[ModelSpend, _Mapping]]] = ..., id: _Optional[str] = ..., requests: _Optional[int] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ...) -> None: ...

class ModelSpend(_message.Message):
    __slots__ = ("model", "spend", "total_tokens", "api_key", "requests")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    SPEND_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    model: str
    spend: float
    total_tokens: int
    api_key: str
    requests: int
    def __init__(self, model: _Optional[str] = ..., spend: _Optional[float] = ..., total_tokens: _Optional[int] = ..., api_key: _Optional[str] = ..., requests: _Optional[int] = ...) -> None: ...

class KeySpendReport(_message.Message):
    __slots__ = ("api_key", "total_cost", "total_input_tokens", "total_output_tokens", "model_details")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COST_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    MODEL_DETAILS_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    total_cost: float
    total_input_tokens: int
    total_output_tokens: int
    model_details: _containers.RepeatedCompositeFieldContainer[KeyModelSpend]
    def __init__(self, api_key: _Optional[str] = ..., total_cost: _Optional[float] = ..., total_input_tokens: _Optional[int] = ..., total_output_tokens: _Optional[int] = ..., model_details: _Optional[_Iterable[_Union[KeyModelSpend, _Mapping]]] = ...) -> None: ...

class KeyModelSpend(_message.Message):
    __slots__ = ("model", "total_cost", "total_input_tokens", "total_output_tokens")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COST_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    model: str
    total_cost: float
    total_input_tokens: int
    total_output_tokens: int
    def __init__(self, model: _Optional[str] = ..., total_cost: _Optional[float] = ..., total_input_tokens: _Optional[int] = ..., total_output_tokens: _Optional[int] = ...) -> None: ...
