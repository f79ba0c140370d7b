//! `google.protobuf.Struct` ↔ JSON (`serde_json`), used for every free-form field of the API
//! (`extra`, tool parameters, JSON schemas, other content parts).

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value as ProtoValue};
use serde_json::{Map, Number, Value};

use crate::types::openai as oa;

/// A `Struct` as a JSON object.
pub fn struct_to_map(value: Struct) -> Map<String, Value> {
    value
        .fields
        .into_iter()
        .map(|(k, v)| (k, value_to_json(v)))
        .collect()
}

/// A `google.protobuf.Value` as JSON. Whole numbers that fit exactly come back as integers, so
/// `{"minItems": 1}` stays `1` and not `1.0`; non-finite numbers become `null`.
pub fn value_to_json(value: ProtoValue) -> Value {
    match value.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(b),
        Some(Kind::StringValue(s)) => Value::String(s),
        Some(Kind::NumberValue(n)) => number_to_json(n),
        Some(Kind::StructValue(s)) => Value::Object(struct_to_map(s)),
        Some(Kind::ListValue(l)) => Value::Array(l.values.into_iter().map(value_to_json).collect()),
    }
}

fn number_to_json(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact in f64
    if n.fract() == 0.0 && n.abs() < EXACT {
        return Value::Number(Number::from(n as i64));
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// A JSON object as a `Struct`.
pub fn map_to_struct(map: Map<String, Value>) -> Struct {
    Struct {
        fields: map
            .into_iter()
            .map(|(k, v)| (k, json_to_value(v)))
            .collect(),
    }
}

/// JSON as a `google.protobuf.Value` (numbers become doubles, as the type requires).
pub fn json_to_value(value: Value) -> ProtoValue {
    let kind = match value {
        Value::Null => Kind::NullValue(prost_types::NullValue::NullValue.into()),
        Value::Bool(b) => Kind::BoolValue(b),
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => Kind::StringValue(s),
        Value::Array(items) => Kind::ListValue(ListValue {
            values: items.into_iter().map(json_to_value).collect(),
        }),
        Value::Object(map) => Kind::StructValue(map_to_struct(map)),
    };
    ProtoValue { kind: Some(kind) }
}

/// A JSON object as a `Struct`; `None` for an empty object or a non-object.
pub(super) fn object_to_struct(value: Option<Value>) -> Option<Struct> {
    match value {
        Some(Value::Object(map)) if !map.is_empty() => Some(map_to_struct(map)),
        _ => None,
    }
}

pub(super) fn extra_to_struct(extra: oa::Extra) -> Option<Struct> {
    (!extra.is_empty()).then(|| map_to_struct(extra))
}
