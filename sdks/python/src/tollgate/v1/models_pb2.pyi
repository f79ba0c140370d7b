from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListModelsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListModelsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[Model]
    def __init__(self, data: _Optional[_Iterable[_Union[Model, _Mapping]]] = ...) -> None: ...

class Model(_message.Message):
    __slots__ = ("id", "owned_by", "created")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    id: str
    owned_by: str
    created: int
    def __init__(self, id: _Optional[str] = ..., owned_by: _Optional[str] = ..., created: _Optional[int] = ...) -> None: ...

class AddModelRequest(_message.Message):
    __slots__ = ("model_name", "litellm_params", "model_info")
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    LITELLM_PARAMS_FIELD_NUMBER: _ClassVar[int]
    MODEL_INFO_FIELD_NUMBER: _ClassVar[int]
    model_name: str
    litellm_params: _struct_pb2.Struct
    model_info: _struct_pb2.Struct
    def __init__(self, model_name: _Optional[str] = ..., litellm_params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class AddModelResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: Deployment
    def __init__(self, model: _Optional[_Union[Deployment, _Mapping]] = ...) -> None: ...

class UpdateModelRequest(_message.Message):
    __slots__ = ("model_id", "model_name", "litellm_params", "model_info")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    LITELLM_PARAMS_FIELD_NUMBER: _ClassVar[int]
    MODEL_INFO_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    model_name: str
    litellm_params: _struct_pb2.Struct
    model_info: _struct_pb2.Struct
    def __init__(self, model_id: _Optional[str] = ..., model_name: _Optional[str] = ..., litellm_params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class UpdateModelResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: Deployment
    def __init__(self, model: _Optional[_Union[Deployment, _Mapping]] = ...) -> None: ...

class DeleteModelRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteModelResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: str
    def __init__(self, message: _Optional[str] = ...) -> None: ...

class Deployment(_message.Message):
    __slots__ = ("model_id", "model_name", "litellm_params", "model_info")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    LITELLM_PARAMS_FIELD_NUMBER: _ClassVar[int]
    MODEL_INFO_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    model_name: str
    litellm_params: _struct_pb2.Struct
    model_info: _struct_pb2.Struct
    def __init__(self, model_id: _Optional[str] = ..., model_name: _Optional[str] = ..., litellm_params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class GetModelInfoRequest(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: str
    def __init__(self, model: _Optional[str] = ...) -> None: ...

class GetModelInfoResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[ModelInfoEntry]
    def __init__(self, data: _Optional[_Iterable[_Union[ModelInfoEntry, _Mapping]]] = ...) -> None: ...

class ModelInfoEntry(_message.Message):
    __slots__ = ("model_name", "litellm_params", "model_info", "state")
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    LITELLM_PARAMS_FIELD_NUMBER: _ClassVar[int]
    MODEL_INFO_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    model_name: str
    litellm_params: _struct_pb2.Struct
    model_info: _struct_pb2.Struct
    state: _struct_pb2.Struct
    def __init__(self, model_name: _Optional[str] = ..., litellm_params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., model_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
