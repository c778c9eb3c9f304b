"""Small realistic snippets for each way plans name lead and co units."""

from __future__ import annotations

from .helpers import by_path, codes, parse_json

HEAD = "某某市推进学校体育工作实施方案\n\n一、总体要求\n坚持健康第一。\n\n二、主要任务\n\n"


def plan_of(body: str, head: str = HEAD) -> dict:
    data = parse_json(head + body)
    assert len(data["plans"]) == 1
    return data["plans"][0]


def test_first_listed_lead_with_carry_over():
    plan = plan_of(
        "(一)加强体育课程建设。开齐开足体育课。(责任单位:市教育局、市体育局、市财政局,列第一位的单位为牵头单位,下同)\n"
        "(二)改善场地设施。新建一批运动场。(责任单位:市住建局、市教育局)\n"
    )
    c = by_path(plan)
    assert c["二、/(一)"]["lead"] == ["市教育局"] and c["二、/(一)"]["co"] == ["市体育局", "市财政局"]
    assert c["二、/(二)"]["lead"] == ["市住建局"] and c["二、/(二)"]["co"] == ["市教育局"]
    assert all(c[p]["is_task"] for p in ("二、/(一)", "二、/(二)"))


def test_comma_convention():
    plan = plan_of(
        "1.推进课后服务。全面开展课后服务。(责任单位:市教育局,市财政局、市人社局。逗号前为牵头单位,下同)\n"
        "2.加强师资。配齐体育教师。(责任单位:市教育局、市编办,市人社局)\n"
    )
    c = by_path(plan)
    assert c["二、/1."]["lead"] == ["市教育局"] and c["二、/1."]["co"] == ["市财政局", "市人社局"]
    assert c["二、/2."]["lead"] == ["市教育局", "市委编办"] and c["二、/2."]["co"] == ["市人社局"]


def test_explicit_lead_and_co_note_in_full_width():
    plan = plan_of("（一）建设智慧校园。推进校园网络升级。（牵头单位：市教育局；配合单位：市工信局、市财政局）\n")
    c = by_path(plan)["二、/（一）"]  # labels (and so paths) are kept as written
    assert c["label"] == "（一）"
    assert c["lead"] == ["市教育局"] and c["co"] == ["市工信局", "市财政局"]
    assert c["heading"] == "建设智慧校园"


def test_unit_lines_after_clause():
    plan = plan_of(
        "1.完善资助体系。落实学生资助政策。\n牵头单位:市教育局 责任单位:市财政局\n\n"
        "2.关爱留守儿童。建立关爱机制。\n牵头单位:市民政局 责任单位:市教育局、团市委\n\n"
        "三、保障措施\n加强领导。\n"
    )
    c = by_path(plan)
    assert c["二、/1."]["lead"] == ["市教育局"] and c["二、/1."]["co"] == ["市财政局"]
    assert c["二、/2."]["lead"] == ["市民政局"] and c["二、/2."]["co"] == ["市教育局", "团市委"]


def test_unit_lines_before_clause():
    plan = plan_of(
        "牵头单位:市教育局 责任单位:市财政局\n1.完善资助体系。落实学生资助政策。\n\n"
        "牵头单位:市民政局 责任单位:市妇联\n2.关爱留守儿童。建立关爱机制。\n\n"
        "三、保障措施\n加强领导。\n"
    )
    c = by_path(plan)
    assert c["二、/1."]["lead"] == ["市教育局"] and c["二、/1."]["co"] == ["市财政局"]
    assert c["二、/2."]["lead"] == ["市民政局"] and c["二、/2."]["co"] == ["市妇联"]


def test_prose_leads():
    plan = plan_of(
        "1.建立评价机制。由市教育局负责制定考核细则。\n"
        "2.推进医教结合。市卫健委牵头,市教育局、市残联配合,建立转介机制。\n"
        "3.保障经费。由市财政局会同市教育局制定生均拨款标准。\n"
        "4.开展宣传。广泛宣传先进典型。\n"
    )
    c = by_path(plan)
    assert c["二、/1."]["lead"] == ["市教育局"]
    assert c["二、/2."]["lead"] == ["市卫健委"] and c["二、/2."]["co"] == ["市教育局", "市残联"]
    assert c["二、/3."]["lead"] == ["市财政局"] and c["二、/3."]["co"] == ["市教育局"]
    assert c["二、/4."]["lead"] == [] and "task_without_unit" in codes(c["二、/4."])
    assert c["二、/4."]["is_task"]


def test_inheritance_from_parent():
    plan = plan_of(
        "(一)加强教师队伍建设。(责任单位:市教育局、市人社局)\n1.补充教师。每年招聘一批教师。\n2.培训教师。开展全员培训。\n"
        "(二)改善办学条件。\n1.新建学校。新建3所学校。\n"
    )
    c = by_path(plan)
    assert c["二、/(一)"]["is_task"]
    assert c["二、/(一)/1."]["lead"] == ["市教育局"] and c["二、/(一)/1."]["co"] == ["市人社局"]
    assert c["二、/(一)/2."]["is_task"]
    assert c["二、/(二)/1."]["lead"] == [] and c["二、/(二)/1."]["is_task"]


def test_collective_units_and_city_prefix():
    head = "西宁市推进教育均衡发展实施方案\n\n一、主要任务\n"
    plan = plan_of(
        "1.消除大班额。(责任单位:各縣（市）區政府、西寧市教育局、三縣政府)\n2.推进集团化。(责任单位:各镇街、西宁市发改委)\n",
        head=head,
    )
    c = by_path(plan)
    assert c["一、/1."]["lead"] == ["各县(市)区"] and c["一、/1."]["co"] == ["市教育局", "三县政府"]
    assert c["一、/2."]["lead"] == ["各镇街"] and c["一、/2."]["co"] == ["市发改委"]


def test_unknown_unit_is_kept_with_warning():
    plan = plan_of("1.建设研学基地。(责任单位:市研学旅行促进中心、市教育局)\n")
    c = by_path(plan)["二、/1."]
    assert c["lead"] == ["市研学旅行促进中心"] and c["co"] == ["市教育局"]
    w = [w for w in c["warnings"] if w["code"] == "unknown_unit"]
    assert w and "市研学旅行促进中心" in w[0]["message"]


def test_first_listed_lead_is_assumed_and_warned_on_its_own_clause():
    data = parse_json(HEAD + "1.甲。(责任单位:市教育局、市财政局)\n2.乙。(责任单位:市人社局)\n")
    c = by_path(data["plans"][0])
    assert (c["二、/1."]["lead"], c["二、/1."]["co"]) == (["市教育局"], ["市财政局"])
    assert codes(c["二、/1."]).count("lead_assumed") == 1
    # a lone unit is a firm lead: nothing to check
    assert c["二、/2."]["lead"] == ["市人社局"] and "lead_assumed" not in codes(c["二、/2."])


def test_non_task_sections_stay_clauses():
    plan = plan_of(
        "1.推进改革。深化改革。\n三、保障措施\n(一)加强组织领导。成立领导小组。\n(二)强化经费保障。由市财政局统筹安排经费。\n",
    )
    c = by_path(plan)
    assert not c["三、/(一)"]["is_task"] and "task_without_unit" not in codes(c["三、/(一)"])
    assert c["三、/(二)"]["is_task"] and c["三、/(二)"]["lead"] == ["市财政局"]


def test_flattened_pipe_table():
    plan = plan_of(
        "附表:重点任务分工\n"
        "序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限\n"
        "1 | 制定课后服务实施办法。明确收费标准。 | 市教育局 | 市发改委、市财政局 | 2020年底前\n"
        "2 | 建设智慧教育平台 | 市教育局 | 市大数据局 | 2021年6月\n"
        "3 | 开展督导评估 | 市政府教育督导室 |  | 每学期\n"
    )
    rows = [c for c in plan["clauses"] if c["path"].endswith(("/1", "/2", "/3"))]
    assert [c["label"] for c in rows] == ["1", "2", "3"]
    r1, r2, r3 = rows
    assert r1["lead"] == ["市教育局"] and r1["co"] == ["市发改委", "市财政局"]
    assert r1["due"] == "2020-12-31" and r1["due_text"] == "2020年底前"
    assert r1["heading"] == "制定课后服务实施办法"
    assert r2["due"] == "2021-06-30" and r2["co"] == ["市大数据局"]
    assert r3["lead"] == ["市教育督导室"] and r3["recurrence"] == "semester"
    assert all(c["is_task"] for c in rows)


def test_tab_separated_table_pasted_from_a_spreadsheet():
    plan = plan_of(
        "(一)明确任务分工。\n"
        "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t制定实施细则\t市教育局\t各乡镇政府\t2024年4月\n"
        "2\t开展督导评估\t市教育督导室\t市教育局、市财政局\t2024年11月\n"
    )
    rows = [c for c in plan["clauses"] if c["is_task"] and c["label"] in ("1", "2")]
    assert [(c["lead"], c["co"], c["due"]) for c in rows] == [
        (["市教育局"], ["各镇街"], "2024-04-30"),
        (["市教育督导室"], ["市教育局", "市财政局"], "2024-11-30"),
    ]
    assert "工作任务:制定实施细则" in rows[0]["text"]


def test_named_lead_makes_the_responsible_list_co_and_office_level_units_are_read():
    plan = plan_of(
        "1.作业管理。建立作业公示制度。责任科室:基础教育科;配合科室:教研室。\n"
        "2.校外培训治理。持续开展专项整治。\n牵头单位:市教育局\n责任单位:市市场监管局、市公安局\n"
    )
    c = by_path(plan)
    assert (c["二、/1."]["lead"], c["二、/1."]["co"]) == (["基础教育科"], ["教研室"])
    assert (c["二、/2."]["lead"], c["二、/2."]["co"]) == (["市教育局"], ["市市场监管局", "市公安局"])


def test_ordinal_phase_takes_its_real_name_and_a_phased_schedule_is_a_task():
    plan = plan_of(
        "(一)推进课后服务。全面开展课后服务。(责任单位:市教育局)\n\n三、实施步骤\n"
        "第一阶段:动员部署阶段(2023年3月—4月)。制定方案。\n"
        "第二阶段:全面实施阶段(2023年5月—11月)。推进落实。\n"
        "第三阶段:总结提升阶段(2023年12月)。全面总结。\n"
    )
    steps = by_path(plan)["三、"]
    assert [(p["kind"], p["name"], p["start"], p["end"]) for p in steps["phases"]] == [
        ("preparation", "动员部署阶段", "2023-03-01", "2023-04-30"),
        ("operation", "全面实施阶段", "2023-05-01", "2023-11-30"),
        ("evaluation", "总结提升阶段", "2023-12-01", "2023-12-31"),
    ]
    assert steps["is_task"] and steps["due"] == "2023-12-31"
    assert "task_without_unit" in codes(steps)


def test_trailing_duty_phrases_are_not_part_of_unit_names():
    plan = plan_of(
        "1.科学规划布局。2022年底前完成布局规划。(责任单位:市教育局、市自然资源局,各县区政府按属地负责)\n"
        "2.落实经费。(责任单位:市财政局、市教育局按职责分工负责)\n"
    )
    c = by_path(plan)
    assert c["二、/1."]["co"] == ["市自然资源局", "各县区政府"]
    assert c["二、/2."]["co"] == ["市教育局"]
