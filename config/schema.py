"""OpenAPI post-processing: every operation documents the errors it can answer.

Views answer refusals with the same few shapes (DRF's {"detail": …}, validation errors by
field, and the project's {"detail", "code"} for uploads and outages); listing them keeps
clients and the schema tests (tests/reliability/test_schemathesis.py) honest.
"""

MESSAGE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
# Validation errors: {"field": ["message", …]} or {"detail": …}; the field names vary by operation.
INVALID = {"type": "object", "additionalProperties": True}

ERRORS = {
    "400": ("请求无效:字段错误或不合规则(中文说明)", INVALID),
    "401": ("未登录或令牌无效", MESSAGE),
    "403": ("无权执行此操作", MESSAGE),
    "404": ("不存在,或不在您可见的范围内", MESSAGE),
    "429": ("请求过于频繁,稍后重试(见 Retry-After)", MESSAGE),
    "503": ("数据库暂时无法连接(见 Retry-After)", MESSAGE),
}
WRITE_ERRORS = {
    "409": ("与当前状态冲突(如已确认、已审核)", {"type": "object", "additionalProperties": True}),
    "413": ("上传的文件超过上限", MESSAGE),
    "415": ("不支持请求的内容类型", MESSAGE),
}
WRITES = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = {**ERRORS, **(WRITE_ERRORS if method in WRITES else {})}
            for code, (description, schema) in errors.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result
