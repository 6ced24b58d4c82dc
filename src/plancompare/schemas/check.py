"""JSON Schemas of the check, gap-list and national-scale models (collected by plancompare.schemas)."""

from __future__ import annotations

from typing import Any


def write_schemas() -> dict[str, dict[str, Any]]:
    from ..scale.batch import BatchReport
    from ..gate import CheckConfig, CheckResult
    from ..views.gaps import GapRow
    from ..synth.national import NationalReport
    from ..scale.survey import SurveyResult

    return {
        "check_config.schema.json": CheckConfig.model_json_schema(mode="validation"),
        "check_result.schema.json": CheckResult.model_json_schema(mode="serialization"),
        "gap_row.schema.json": GapRow.model_json_schema(mode="serialization"),
        "batch_report.schema.json": BatchReport.model_json_schema(mode="serialization"),
        "survey.schema.json": SurveyResult.model_json_schema(mode="serialization"),
        "national_report.schema.json": NationalReport.model_json_schema(mode="serialization"),
    }
